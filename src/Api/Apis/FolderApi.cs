using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Hosting;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §12: storage folders. Plain records: the handlers call <see cref="FolderRecords"/> directly.</summary>
public static class FolderApi
{
    public const string Kind = "Folder";

    public static RouteGroupBuilder MapFolderApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/folders").WithTags("Storage");
        api.MapPost("/create", Create).WithName("CreateFolder").WithSummary("Create a folder").WithJsonBody<FolderCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadFolder").WithSummary("Read a folder").Produces<FolderView>();
        api.MapGet("/list", List).WithName("ListFolders").WithSummary("List the account's folders (optional skip, take)").Produces<FolderView[]>();
        api.MapPut("/update", Update).WithName("UpdateFolder").WithSummary("Rename a folder or change its description").WithJsonBody<FolderUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteFolder").WithSummary("Delete a folder, and its files with it");
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, FolderRecords folders, OrchestratorClock clock)
    {
        var body = await RequestBody.ReadAsync<FolderCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var now = clock.Now;
        var folder = await folders.InsertAsync(
            new FolderRecord(0, Guid.NewGuid(), request.HttpContext.Caller().AccountId, r.Name!.Trim(), r.Description ?? string.Empty, now, now));
        return folder is null ? Answer(WriteResult.NameTaken) : TypedResults.Json(CreatedView.Of(folder.Guid, folder.Id));
    }

    public static async Task<IResult> Read(string guid, HttpContext http, FolderRecords folders)
    {
        var caller = http.Caller();
        var folder = await folders.ResolveAsync(caller, guid, "guid", Kind);
        if (folder.Problem is not null)
        {
            return folder.Problem;
        }

        return await folders.FindAsync(caller.AccountId, folder.Value) is { } found ? TypedResults.Json(FolderView.From(found)) : Problems.NotFound(Kind);
    }

    public static async Task<IResult> List(HttpRequest request, FolderRecords folders)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var rows = await folders.ListAsync(request.HttpContext.Caller().AccountId, paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(FolderView.From));
    }

    public static async Task<IResult> Update(HttpRequest request, FolderRecords folders, OrchestratorClock clock)
    {
        var body = await RequestBody.ReadAsync<FolderUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var folder = await folders.ResolveAsync(caller, r.Guid, "Guid", Kind);
        if (folder.Problem is not null)
        {
            return folder.Problem;
        }

        return Answer(await folders.UpdateAsync(caller.AccountId, folder.Value, r.Name?.Trim(), r.Description, clock.Now));
    }

    public static async Task<IResult> Delete(string guid, HttpContext http, FolderRecords folders, OrchestratorClock clock)
    {
        var caller = http.Caller();
        var folder = await folders.ResolveAsync(caller, guid, "guid", Kind);
        if (folder.Problem is not null)
        {
            return folder.Problem;
        }

        return Answer(await folders.DeleteAsync(caller.AccountId, folder.Value, clock.Now));
    }

    private static IResult Answer(WriteResult result) => result switch
    {
        WriteResult.Done => Empty.Ok,
        WriteResult.NameTaken => Problems.Conflict("Name", "A folder with this name already exists in your account."),
        _ => Problems.NotFound(Kind),
    };
}
