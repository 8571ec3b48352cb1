using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Common;
using Orchestrator.Accounts;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;

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

    public static async Task<IResult> Create(HttpRequest request, Resource<IRobotGroupGrain> groups)
    {
        var body = await RequestBody.ReadAsync<RobotGroupCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var draft = new RobotGroupDraft(request.HttpContext.Caller().AccountId, r.Name!.Trim(), r.Description ?? string.Empty);
        return await groups.CreateAsync(group => group.CreateAsync(draft), (guid, id) => CreatedView.Of(guid, id));
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<IRobotGroupGrain> groups) =>
        groups.ReadAsync(http.Caller(), guid, "guid", group => group.GetAsync(http.Caller().AccountId), RobotGroupView.From);

    public static async Task<IResult> List(HttpRequest request, RobotGroupRecords groups)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var rows = await groups.ListAsync(request.HttpContext.Caller().AccountId, paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(g => RobotGroupView.From(g.Group, g.Robots)));
    }

    public static async Task<IResult> Update(HttpRequest request, Resource<IRobotGroupGrain> groups)
    {
        var body = await RequestBody.ReadAsync<RobotGroupUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        return await groups.CommandAsync(caller, r.GUID, "GUID", group => group.UpdateAsync(caller.AccountId, r.Name?.Trim(), r.Description));
    }

    public static async Task<IResult> Delete(string guid, HttpRequest request, Resource<IRobotGroupGrain> groups, Resource<IRobotGrain> robots)
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
            return await Membership(caller, guid, "guid", body.Value.RobotGuid, groups, robots, (group, robot) => group.RemoveRobotAsync(caller.AccountId, robot));
        }

        return await groups.CommandAsync(caller, guid, "guid", group => group.DeleteAsync(caller.AccountId));
    }

    public static async Task<IResult> AddRobot(HttpRequest request, Resource<IRobotGroupGrain> groups, Resource<IRobotGrain> robots)
    {
        var body = await RequestBody.ReadAsync<RobotGroupMembershipRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        return await Membership(caller, r.RobotGroupGuid, "RobotGroupGuid", r.RobotGuid, groups, robots, (group, robot) => group.AddRobotAsync(caller.AccountId, robot));
    }

    public static async Task<IResult> RemoveRobot(HttpRequest request, Resource<IRobotGroupGrain> groups, Resource<IRobotGrain> robots)
    {
        var body = await RequestBody.ReadAsync<RobotGroupMembershipRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        return await Membership(caller, r.RobotGroupGuid, "RobotGroupGuid", r.RobotGuid, groups, robots, (group, robot) => group.RemoveRobotAsync(caller.AccountId, robot));
    }

    /// <summary>Adds or removes a member: both references must be the caller's live records.</summary>
    private static async Task<IResult> Membership(
        Caller caller, string? groupReference, string groupField, string? robotReference,
        Resource<IRobotGroupGrain> groups, Resource<IRobotGrain> robots, Func<IRobotGroupGrain, long, Task<WriteResult>> change)
    {
        var group = await groups.ResolveAsync(caller, groupReference, groupField);
        if (group.Problem is not null)
        {
            return group.Problem;
        }

        var robot = await robots.ResolveIdAsync(caller, robotReference, "RobotGuid");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        return groups.Answer(await change(groups.Grain(group.Value), robot.Value));
    }
}
