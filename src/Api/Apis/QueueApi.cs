using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Accounts;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Queues;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §8: queues.</summary>
public static class QueueApi
{
    private static readonly (string Field, string Detail) DuplicateLiveNames =
        ("UniqueTasks", "The queue has live tasks that share a name; UniqueTasks cannot be turned on.");

    public static RouteGroupBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/queue").WithTags("Queues");
        api.MapPost("/create", Create).WithName("CreateQueue").WithSummary("Create a queue").WithJsonBody<QueueCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadQueue").WithSummary("Read a queue (by GUID, id or name) and its task counts per status").Produces<QueueView>();
        api.MapGet("/list", List).WithName("ListQueues").WithSummary("List the account's queues (optional skip, take)").Produces<QueueView[]>();
        api.MapPut("/update", Update).WithName("UpdateQueue").WithSummary("Update a queue").WithJsonBody<QueueUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteQueue").WithSummary("Delete a queue");
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, Resource<IQueueGrain> queues)
    {
        var body = await RequestBody.ReadAsync<QueueCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var draft = new QueueDraft(request.HttpContext.Caller().AccountId, r.Name!.Trim(), r.Description ?? string.Empty, r.Unique, r.AutoChange);
        return await queues.CreateAsync(queue => queue.CreateAsync(draft), (guid, id) => CreatedView.Of(guid, id));
    }

    public static async Task<IResult> Read(string guid, HttpContext http, Resource<IQueueGrain> queues, QueueRecords records)
    {
        var caller = http.Caller();
        var queue = await ResolveAsync(caller, PathSegment.Decode(guid), "guid", queues, records);
        if (queue.Problem is not null)
        {
            return queue.Problem;
        }

        return await queues.Grain(queue.Value).GetAsync(caller.AccountId) is { } info ? TypedResults.Json(QueueView.From(info)) : queues.NotFound();
    }

    public static async Task<IResult> List(HttpRequest request, QueueRecords records)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var rows = await records.ListAsync(request.HttpContext.Caller().AccountId, paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(QueueView.From));
    }

    public static async Task<IResult> Update(HttpRequest request, Resource<IQueueGrain> queues, QueueRecords records)
    {
        var body = await RequestBody.ReadAsync<QueueUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var queue = await ResolveAsync(caller, r.Guid, "Guid", queues, records);
        if (queue.Problem is not null)
        {
            return queue.Problem;
        }

        return queues.Answer(await queues.Grain(queue.Value).UpdateAsync(caller.AccountId, r.Change), DuplicateLiveNames);
    }

    public static async Task<IResult> Delete(string guid, HttpContext http, Resource<IQueueGrain> queues, QueueRecords records)
    {
        var caller = http.Caller();
        var queue = await ResolveAsync(caller, PathSegment.Decode(guid), "guid", queues, records);
        if (queue.Problem is not null)
        {
            return queue.Problem;
        }

        return queues.Answer(await queues.Grain(queue.Value).DeleteAsync(caller.AccountId));
    }

    /// <summary>
    /// A queue reference (API.md §1: queue references also accept the queue's name): a GUID passes through (its
    /// grain answers 404 when it is not the caller's); a number is the queue's id, or else its name; anything
    /// else is a name.
    /// </summary>
    public static async Task<Resolution<Guid>> ResolveAsync(Caller caller, string? reference, string field, Resource<IQueueGrain> queues, QueueRecords records)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return Resolution<Guid>.Fail(Problems.Field(field, "is required."));
        }

        var text = reference.Trim();
        if (Guid.TryParse(text, out var guid))
        {
            return Resolution<Guid>.Found(guid);
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            && await records.FindGuidAsync(caller.AccountId, id) is { } byId)
        {
            return Resolution<Guid>.Found(byId);
        }

        return await records.FindGuidByNameAsync(caller.AccountId, text) is { } byName
            ? Resolution<Guid>.Found(byName)
            : Resolution<Guid>.Fail(queues.NotFound());
    }

    /// <summary>The queue's GUID and numeric id, checked to be a live queue of the caller's.</summary>
    public static async Task<Resolution<(Guid Guid, long Id)>> ResolveOwnedAsync(
        Caller caller, string? reference, string field, Resource<IQueueGrain> queues, QueueRecords records)
    {
        var queue = await ResolveAsync(caller, reference, field, queues, records);
        if (queue.Problem is not null)
        {
            return Resolution<(Guid, long)>.Fail(queue.Problem);
        }

        return await records.FindIdAsync(caller.AccountId, queue.Value) is { } id
            ? Resolution<(Guid, long)>.Found((queue.Value, id))
            : Resolution<(Guid, long)>.Fail(queues.NotFound());
    }
}
