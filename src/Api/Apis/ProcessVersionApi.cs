using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Hosting;
using Orchestrator.Processes;
using Orchestrator.Triggers;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §6: process versions and their files.</summary>
public static class ProcessVersionApi
{
    public static RouteGroupBuilder MapProcessVersionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/processVersion").WithTags("Process versions");
        api.MapPost("/create", Create)
            .WithName("CreateProcessVersion")
            .WithSummary("Create a process version; the file as a multipart part or a Base16/Base32/Base64 JSON string")
            .WithJsonBody<ProcessVersionCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadProcessVersion").WithSummary("Read a process version (with its file's size and sha256)").Produces<ProcessVersionView>();
        api.MapGet("/list", List)
            .WithName("ListProcessVersions")
            .WithSummary("List the account's process versions (optional process, skip, take)")
            .Produces<ProcessVersionView[]>();
        api.MapPost("/update", Update).WithName("UpdateProcessVersion").WithSummary("Update a process version, or replace its file").WithJsonBody<ProcessVersionUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteProcessVersion").WithSummary("Delete a process version");
        api.MapGet("/download/{guid}", Download).WithName("DownloadProcessVersion").WithSummary("Download the process file, byte for byte, under its file name");
        return api;
    }

    public static async Task<IResult> Create(
        HttpRequest request, Resource<IProcessVersionGrain> versions, Resource<IProcessGrain> processes, ProcessVersionRecords records, FileBlobs blobs,
        TriggerNotices triggers, OrchestratorClock clock)
    {
        var body = await FileIntake.ReadAsync<ProcessVersionCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        await using var upload = body.File;
        var r = body.Value!;
        if (upload is null)
        {
            return Problems.Field(ProcessVersionCreateRequest.FileField, "is required: a multipart part, or a Base16/Base32/Base64 string.");
        }

        if (upload.Length == 0)
        {
            return EmptyFile();
        }

        var caller = request.HttpContext.Caller();
        var process = await processes.ResolveIdAsync(caller, r.ProcessGuid, "ProcessGuid");
        if (process.Problem is not null)
        {
            return process.Problem;
        }

        // The record is inserted in the transaction that stores the bytes: both are committed, or neither.
        var now = clock.Now;
        var guid = Guid.NewGuid();
        var name = r.Name!.Trim();
        var fileName = ProcessVersionFields.FileName(r.ProcessFileName, upload);
        var created = await blobs.SaveAsync(
            caller.AccountId,
            upload.Content,
            upload.Length,
            async (transaction, file) =>
            {
                var inserted = await records.InsertAsync(
                    new ProcessVersionRecord(0, guid, caller.AccountId, process.Value, name, r.Description ?? string.Empty, fileName, file, now, now), transaction);
                return (inserted.Result == WriteResult.Done, inserted);
            },
            request.HttpContext.RequestAborted);
        if (created.Result != WriteResult.Done)
        {
            // NotFound: the process was deleted after it was found.
            return created.Result == WriteResult.NotFound ? processes.NotFound() : versions.Answer(created.Result);
        }

        await triggers.VersionsChangedAsync(process.Value);
        return TypedResults.Json(CreatedView.Of(guid, created.Id));
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<IProcessVersionGrain> versions) =>
        versions.ReadAsync(http.Caller(), guid, "guid", version => version.GetAsync(http.Caller().AccountId), ProcessVersionView.From);

    public static async Task<IResult> List(HttpRequest request, ProcessVersionRecords versions, Resource<IProcessGrain> processes)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var caller = request.HttpContext.Caller();
        long? processId = null;
        if (request.Query["process"].ToString() is { Length: > 0 } reference)
        {
            var process = await processes.ResolveIdAsync(caller, reference, "process");
            if (process.Problem is not null)
            {
                return process.Problem;
            }

            processId = process.Value;
        }

        var rows = await versions.ListAsync(caller.AccountId, processId, paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(v => ProcessVersionView.From(ProcessVersionRecords.Info(v))));
    }

    public static async Task<IResult> Update(HttpRequest request, Resource<IProcessVersionGrain> versions, Resource<IProcessGrain> processes, FileBlobs blobs)
    {
        var body = await FileIntake.ReadAsync<ProcessVersionUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        await using var upload = body.File;
        if (upload is { Length: 0 })
        {
            return EmptyFile();
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var version = await versions.ResolveAsync(caller, r.Guid, "Guid");
        if (version.Problem is not null)
        {
            return version.Problem;
        }

        long? processId = null;
        if (r.ProcessGuid is not null)
        {
            var process = await processes.ResolveIdAsync(caller, r.ProcessGuid, "ProcessGuid");
            if (process.Problem is not null)
            {
                return process.Problem;
            }

            processId = process.Value;
        }

        // The version must be the caller's before any bytes are stored for it.
        if (await versions.Grain(version.Value).GetAsync(caller.AccountId) is null)
        {
            return versions.NotFound();
        }

        var file = upload is null ? null : await blobs.SaveAsync(caller.AccountId, upload.Content, upload.Length, request.HttpContext.RequestAborted);
        var fileName = r.ProcessFileName is not null || upload is not null ? ProcessVersionFields.FileName(r.ProcessFileName, upload) : null;
        var result = await versions.Grain(version.Value).UpdateAsync(caller.AccountId, new ProcessVersionChange(r.Name?.Trim(), r.Description, processId, fileName, file));
        if (result != WriteResult.Done && file is not null)
        {
            await blobs.DeleteAsync(file.BlobId);
        }

        return versions.Answer(result);
    }

    /// <summary>No robot can run an empty file; it would become the process's latest version and fail every job.</summary>
    private static IResult EmptyFile() => Problems.Field(ProcessVersionCreateRequest.FileField, "must not be empty.");

    public static Task<IResult> Delete(string guid, HttpContext http, Resource<IProcessVersionGrain> versions) =>
        versions.CommandAsync(
            http.Caller(), guid, "guid", version => version.DeleteAsync(http.Caller().AccountId),
            ("guid", "A pending or running job runs this version; stop or cancel it first."));

    public static async Task<IResult> Download(string guid, HttpContext http, Resource<IProcessVersionGrain> versions, FileBlobs blobs)
    {
        var caller = http.Caller();
        var version = await versions.ResolveAsync(caller, guid, "guid");
        if (version.Problem is not null)
        {
            return version.Problem;
        }

        return await versions.Grain(version.Value).GetAsync(caller.AccountId) is { } info
            ? new FileDownload(blobs, info.File, info.FileName)
            : versions.NotFound();
    }
}
