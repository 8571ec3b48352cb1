using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Accounts;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Files;
using Orchestrator.Hosting;

namespace Orchestrator.Api.Apis;

/// <summary>
/// API.md §12: storage files. Plain records (<see cref="FileRecords"/>) whose bytes are <see cref="FileBlobs"/>, taken in
/// and served by the same code as process files: a multipart part or a Base16/Base32/Base64 JSON string in, a stream out.
/// </summary>
public static class FileApi
{
    public const string Kind = "File";

    public static RouteGroupBuilder MapFileApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/files").WithTags("Storage");
        api.MapPost("/create", Create)
            .WithName("CreateFile")
            .WithSummary("Create a file, in a folder or at the top level; the content as a multipart part or a Base16/Base32/Base64 JSON string")
            .WithJsonBody<FileCreateRequest>();
        api.MapGet("/read/{guid}", Read)
            .WithName("ReadFile")
            .WithSummary("Read a file's name, folder, size and sha256; with ?content=1 its bytes")
            .Produces<FileView>();
        api.MapGet("/download/{guid}", Download).WithName("DownloadFile").WithSummary("Download a file, byte for byte, under its name");
        api.MapGet("/list", List)
            .WithName("ListFiles")
            .WithSummary("List the account's files (optional folder, skip, take)")
            .Produces<FileView[]>();
        api.MapPut("/update", Update)
            .WithName("UpdateFile")
            .WithSummary("Rename a file, move it to another folder (\"\" for the top level), or replace its content")
            .WithJsonBody<FileUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteFile").WithSummary("Delete a file and its bytes");
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, FileRecords files, FolderRecords folders, FileBlobs blobs, OrchestratorClock clock)
    {
        var body = await FileIntake.ReadAsync<FileCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        await using var upload = body.File;
        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var folder = await ResolveFolderAsync(folders, caller, r.FolderGuid);
        if (folder.Problem is not null)
        {
            return folder.Problem;
        }

        // The vendor document's own example creates a file with a name only: that is an empty file. The record is
        // inserted in the transaction that stores the bytes: both are committed, or neither.
        var now = clock.Now;
        var guid = Guid.NewGuid();
        var name = r.Name!.Trim();
        var inserted = await blobs.SaveAsync(
            caller.AccountId,
            upload?.Content ?? Stream.Null,
            upload?.Length ?? 0,
            async (transaction, stored) =>
            {
                var written = await files.InsertAsync(new FileRecord(0, guid, caller.AccountId, folder.Value.FolderId, null, name, stored, now, now), transaction);
                return (written.Result == FileWrite.Done, written);
            },
            request.HttpContext.RequestAborted);
        if (inserted.Result != FileWrite.Done)
        {
            return Answer(inserted.Result);
        }

        return TypedResults.Json(CreatedView.Of(guid, inserted.Id));
    }

    public static async Task<IResult> Read(string guid, HttpRequest request, FileRecords files, FileBlobs blobs)
    {
        if (Flags.Optional(request.Query["content"], "content", out var content) is { } invalid)
        {
            return invalid;
        }

        var file = await FindAsync(files, request.HttpContext.Caller(), guid);
        if (file.Problem is not null)
        {
            return file.Problem;
        }

        return content == true ? new FileDownload(blobs, file.Value.File, file.Value.Name, Kind) : TypedResults.Json(FileView.From(file.Value));
    }

    public static async Task<IResult> Download(string guid, HttpContext http, FileRecords files, FileBlobs blobs)
    {
        var file = await FindAsync(files, http.Caller(), guid);
        return file.Problem ?? new FileDownload(blobs, file.Value.File, file.Value.Name, Kind);
    }

    public static async Task<IResult> List(HttpRequest request, FileRecords files, FolderRecords folders)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var caller = request.HttpContext.Caller();
        long? folderId = null;
        if (request.Query["folder"].ToString() is { Length: > 0 } reference)
        {
            var folder = await folders.ResolveIdAsync(caller, reference, "folder", FolderApi.Kind);
            if (folder.Problem is not null)
            {
                return folder.Problem;
            }

            folderId = folder.Value;
        }

        var rows = await files.ListAsync(caller.AccountId, folderId, paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(FileView.From));
    }

    public static async Task<IResult> Update(HttpRequest request, FileRecords files, FolderRecords folders, FileBlobs blobs, OrchestratorClock clock)
    {
        var body = await FileIntake.ReadAsync<FileUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        await using var upload = body.File;
        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var file = await files.ResolveAsync(caller, r.Guid, "Guid", Kind);
        if (file.Problem is not null)
        {
            return file.Problem;
        }

        FolderMove? move = null;
        if (r.FolderGuid is not null)
        {
            var folder = await ResolveFolderAsync(folders, caller, r.FolderGuid);
            if (folder.Problem is not null)
            {
                return folder.Problem;
            }

            move = folder.Value;
        }

        // The file must be the caller's before any bytes are stored for it.
        if (await files.FindIdAsync(caller.AccountId, file.Value) is null)
        {
            return Problems.NotFound(Kind);
        }

        var change = new FileChange(r.Name?.Trim(), move, null);
        var result = upload is null
            ? await files.UpdateAsync(caller.AccountId, file.Value, change, clock.Now)
            : await blobs.SaveAsync(
                caller.AccountId,
                upload.Content,
                upload.Length,
                async (transaction, stored) =>
                {
                    var written = await files.UpdateAsync(caller.AccountId, file.Value, change with { File = stored }, clock.Now, transaction);
                    return (written == FileWrite.Done, written);
                },
                request.HttpContext.RequestAborted);
        return Answer(result);
    }

    public static async Task<IResult> Delete(string guid, HttpContext http, FileRecords files, OrchestratorClock clock)
    {
        var caller = http.Caller();
        var file = await files.ResolveAsync(caller, guid, "guid", Kind);
        if (file.Problem is not null)
        {
            return file.Problem;
        }

        return Answer(await files.DeleteAsync(caller.AccountId, file.Value, clock.Now));
    }

    private static async Task<Resolution<FileRecord>> FindAsync(FileRecords files, Caller caller, string guid)
    {
        var file = await files.ResolveAsync(caller, guid, "guid", Kind);
        if (file.Problem is not null)
        {
            return Resolution<FileRecord>.Fail(file.Problem);
        }

        return await files.FindAsync(caller.AccountId, file.Value) is { } found
            ? Resolution<FileRecord>.Found(found)
            : Resolution<FileRecord>.Fail(Problems.NotFound(Kind));
    }

    /// <summary><c>folder_guid</c>: absent or empty is the account's top level, else a live folder of the account (404 otherwise).</summary>
    private static async Task<Resolution<FolderMove>> ResolveFolderAsync(FolderRecords folders, Caller caller, string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return Resolution<FolderMove>.Found(FolderMove.ToTop);
        }

        var folder = await folders.ResolveIdAsync(caller, reference, "folder_guid", FolderApi.Kind);
        return folder.Problem is not null ? Resolution<FolderMove>.Fail(folder.Problem) : Resolution<FolderMove>.Found(new FolderMove(folder.Value));
    }

    private static IResult Answer(FileWrite result) => result switch
    {
        FileWrite.Done => Empty.Ok,
        FileWrite.FolderNotFound => Problems.NotFound(FolderApi.Kind),
        _ => Problems.NotFound(Kind),
    };
}
