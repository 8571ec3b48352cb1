using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Processes;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §5: processes.</summary>
public static class ProcessApi
{
    public static RouteGroupBuilder MapProcessApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/process").WithTags("Processes");
        api.MapPost("/create", Create).WithName("CreateProcess").WithSummary("Create a process").WithJsonBody<ProcessCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadProcess").WithSummary("Read a process and its latest version").Produces<ProcessView>();
        api.MapGet("/list", List).WithName("ListProcesses").WithSummary("List the account's processes (optional skip, take)").Produces<ProcessView[]>();
        api.MapPut("/update", Update).WithName("UpdateProcess").WithSummary("Update a process").WithJsonBody<ProcessUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteProcess").WithSummary("Delete a process (409 while one of its jobs is pending or running)");
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, Resource<IProcessGrain> processes)
    {
        var body = await RequestBody.ReadAsync<ProcessCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var draft = new ProcessDraft(
            request.HttpContext.Caller().AccountId, r.Name!.Trim(), r.Description ?? string.Empty, r.MinVersionToRun, (ProcessType)(r.ProcessType ?? 0));
        return await processes.CreateAsync(process => process.CreateAsync(draft), (guid, id) => CreatedView.Of(guid, id));
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<IProcessGrain> processes) =>
        processes.ReadAsync(http.Caller(), guid, "guid", process => process.GetAsync(http.Caller().AccountId), ProcessView.From);

    public static async Task<IResult> List(HttpRequest request, ProcessRecords processes)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var rows = await processes.ListAsync(request.HttpContext.Caller().AccountId, paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(ProcessView.From));
    }

    public static async Task<IResult> Update(HttpRequest request, Resource<IProcessGrain> processes)
    {
        var body = await RequestBody.ReadAsync<ProcessUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var change = new ProcessChange(r.Name?.Trim(), r.Description, r.MinVersionToRun, (ProcessType?)r.ProcessType);
        return await processes.CommandAsync(caller, r.Guid, "Guid", process => process.UpdateAsync(caller.AccountId, change));
    }

    public static Task<IResult> Delete(string guid, HttpContext http, Resource<IProcessGrain> processes) =>
        processes.CommandAsync(
            http.Caller(), guid, "guid", process => process.DeleteAsync(http.Caller().AccountId),
            ("guid", "The process has a pending or running job; stop or cancel it first."));
}
