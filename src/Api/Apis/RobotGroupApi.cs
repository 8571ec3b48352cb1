using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Common;
using Orchestrator.RobotGroups;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §4: robot groups and their members.</summary>
public static class RobotGroupApi
{
    public static RouteGroupBuilder MapRobotGroupApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/robotGroup").WithTags("Robot groups");
        api.MapPost("/create", Create).WithName("CreateRobotGroup").WithSummary("Create a robot group").WithJsonBody<RobotGroupCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadRobotGroup").WithSummary("Read a robot group and its members").Produces<RobotGroupView>();
        api.MapGet("/list", List).WithName("ListRobotGroups").WithSummary("List the account's robot groups (optional skip, take)").Produces<RobotGroupView[]>();
        api.MapPut("/update", Update).WithName("UpdateRobotGroup").WithSummary("Update a robot group").WithJsonBody<RobotGroupUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete)
            .WithName("DeleteRobotGroup")
            .WithSummary("Delete a robot group; with a body naming RobotGuid, remove that robot from it instead (as the vendor document lists removeRobot)")
            .WithJsonBody<RobotGroupMembershipRequest>();
        api.MapPut("/addRobot", AddRobot).WithName("AddRobotToGroup").WithSummary("Add a robot to a group (idempotent)").WithJsonBody<RobotGroupMembershipRequest>();
        api.MapDelete("/removeRobot", RemoveRobot).WithName("RemoveRobotFromGroup").WithSummary("Remove a robot from a group").WithJsonBody<RobotGroupMembershipRequest>();
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, IGrainFactory grains)
    {
        var body = await RequestBody.ReadAsync<RobotGroupCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if ((Validation.Name(r.Name, "Name") ?? Validation.Text(r.Description, "Description")) is { } invalid)
        {
            return invalid;
        }

        var guid = Guid.NewGuid();
        var draft = new RobotGroupDraft(request.HttpContext.Caller().AccountId, r.Name!.Trim(), r.Description ?? string.Empty);
        var created = await grains.GetGrain<IRobotGroupGrain>(guid).CreateAsync(draft);
        return created.Result == WriteResult.Done
            ? TypedResults.Json(CreatedView.Of(guid, created.Id))
            : Answer(created.Result);
    }

    public static async Task<IResult> Read(string guid, HttpContext http, IGrainFactory grains, References references)
    {
        var group = await references.RobotGroupAsync(http.Caller(), guid, "guid");
        if (group.Problem is not null)
        {
            return group.Problem;
        }

        var info = await grains.GetGrain<IRobotGroupGrain>(group.Value).GetAsync(http.Caller().AccountId);
        return info is null ? Problems.NotFound("Robot group") : TypedResults.Json(RobotGroupView.From(info));
    }

    public static async Task<IResult> List(HttpRequest request, RobotGroupRecords groups)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var rows = await groups.ListAsync(request.HttpContext.Caller().AccountId, paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(g => RobotGroupView.From(g.Group, g.Robots)));
    }

    public static async Task<IResult> Update(HttpRequest request, IGrainFactory grains, References references)
    {
        var body = await RequestBody.ReadAsync<RobotGroupUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if (((r.Name is null ? null : Validation.Name(r.Name, "Name")) ?? Validation.Text(r.Description, "Description")) is { } invalid)
        {
            return invalid;
        }

        var caller = request.HttpContext.Caller();
        var group = await references.RobotGroupAsync(caller, r.GUID, "GUID");
        if (group.Problem is not null)
        {
            return group.Problem;
        }

        return Answer(await grains.GetGrain<IRobotGroupGrain>(group.Value).UpdateAsync(caller.AccountId, r.Name?.Trim(), r.Description));
    }

    public static async Task<IResult> Delete(string guid, HttpRequest request, IGrainFactory grains, References references)
    {
        var body = await RequestBody.ReadAsync<RobotGroupMembershipRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var caller = request.HttpContext.Caller();
        if (body.Value!.NamesRobot)
        {
            // The vendor document lists removeRobot as DELETE /delete/{guid} with this body; the path names the group.
            return await Remove(caller, guid, "guid", body.Value.RobotGuid, grains, references);
        }

        var group = await references.RobotGroupAsync(caller, guid, "guid");
        if (group.Problem is not null)
        {
            return group.Problem;
        }

        return Answer(await grains.GetGrain<IRobotGroupGrain>(group.Value).DeleteAsync(caller.AccountId));
    }

    public static async Task<IResult> AddRobot(HttpRequest request, IGrainFactory grains, References references)
    {
        var body = await RequestBody.ReadAsync<RobotGroupMembershipRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var caller = request.HttpContext.Caller();
        var r = body.Value!;
        var group = await references.RobotGroupAsync(caller, r.RobotGroupGuid, "RobotGroupGuid");
        if (group.Problem is not null)
        {
            return group.Problem;
        }

        var robot = await references.RobotIdAsync(caller, r.RobotGuid, "RobotGuid");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        return Answer(await grains.GetGrain<IRobotGroupGrain>(group.Value).AddRobotAsync(caller.AccountId, robot.Value));
    }

    public static async Task<IResult> RemoveRobot(HttpRequest request, IGrainFactory grains, References references)
    {
        var body = await RequestBody.ReadAsync<RobotGroupMembershipRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        return await Remove(request.HttpContext.Caller(), r.RobotGroupGuid, "RobotGroupGuid", r.RobotGuid, grains, references);
    }

    private static async Task<IResult> Remove(
        Accounts.Caller caller, string? groupReference, string groupField, string? robotReference, IGrainFactory grains, References references)
    {
        var group = await references.RobotGroupAsync(caller, groupReference, groupField);
        if (group.Problem is not null)
        {
            return group.Problem;
        }

        var robot = await references.RobotIdAsync(caller, robotReference, "RobotGuid");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        return Answer(await grains.GetGrain<IRobotGroupGrain>(group.Value).RemoveRobotAsync(caller.AccountId, robot.Value));
    }

    private static IResult Answer(WriteResult result) => result switch
    {
        WriteResult.Done => Empty.Ok,
        WriteResult.NameTaken => Problems.Conflict("Name", "A robot group with this name already exists in your account."),
        _ => Problems.NotFound("Robot group"),
    };
}
