using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Hosting;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §3: robots, and the heartbeat of the robot protocol.</summary>
public static class RobotApi
{
    // Orleans answers a call within its response timeout (30 s by default); a longer long-poll is made of shorter waits.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(20);

    private static readonly (string Field, string Detail) HoldsRunningJob = ("guid", "The robot holds a running job.");

    public static RouteGroupBuilder MapRobotApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/robot").WithTags("Robots");
        api.MapPost("/create", Create).WithName("CreateRobot").WithSummary("Create a robot").WithJsonBody<RobotCreateRequest>().Produces<RobotView>();
        api.MapGet("/read/{guid}", Read).WithName("ReadRobot").WithSummary("Read a robot by GUID or id").Produces<RobotView>();
        api.MapGet("/read", List).WithName("ListRobots").WithSummary("List the account's robots (optional skip, take, status, group)").Produces<RobotView[]>();
        api.MapPut("/update", Update).WithName("UpdateRobot").WithSummary("Update a robot").WithJsonBody<RobotUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteRobot").WithSummary("Delete a robot");
        api.MapGet("/getStatus/{guid}", GetStatus).WithName("GetRobotStatus").WithSummary("A robot's status");
        api.MapPut("/setStatus", SetStatus).WithName("SetRobotStatus").WithSummary("Disable (4) or re-enable a robot").WithJsonBody<RobotSetStatusRequest>();
        api.MapPost("/heartbeat", Heartbeat).WithName("RobotHeartbeat").WithSummary("Robot protocol: heartbeat, optionally long-polling for commands").WithJsonBody<HeartbeatRequest>().Produces<HeartbeatView>();
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, Resource<IRobotGrain> robots)
    {
        var body = await RequestBody.ReadAsync<RobotCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var name = r.Name!.Trim();
        var description = r.Description ?? string.Empty;
        return await robots.CreateAsync(
            robot => robot.CreateAsync(new RobotDraft(request.HttpContext.Caller().AccountId, name, description)),
            (guid, id) => CreatedView.Of(guid, id, ("Name", name), ("Description", description), ("Status", (int)RobotStatus.Offline)));
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<IRobotGrain> robots) =>
        robots.ReadAsync(http.Caller(), guid, "guid", robot => robot.GetAsync(http.Caller().AccountId), RobotView.From);

    public static async Task<IResult> List(
        HttpRequest request, RobotRecords records, Resource<IRobotGroupGrain> groups, OrchestratorClock clock, IOptions<RobotOptions> options)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        RobotStatus? status = null;
        var statusText = request.Query["status"].ToString();
        if (statusText.Length > 0)
        {
            if (!Validation.TryEnum<RobotStatus>(statusText, out var parsed))
            {
                return Problems.Field("status", Validation.RobotStatusMustBe);
            }

            status = parsed;
        }

        var caller = request.HttpContext.Caller();
        long? groupId = null;
        var groupText = request.Query["group"].ToString();
        if (groupText.Length > 0)
        {
            var group = await groups.ResolveIdAsync(caller, groupText, "group");
            if (group.Problem is not null)
            {
                return group.Problem;
            }

            groupId = group.Value;
        }

        var now = clock.Now;
        var rows = await records.ListAsync(caller.AccountId, new RobotListFilter(status, groupId, paging.Skip, paging.Take), now);
        return TypedResults.Json(rows.Select(r => RobotView.From(r, RobotLiveness.FromRecord(r, now, options.Value))));
    }

    public static async Task<IResult> Update(HttpRequest request, Resource<IRobotGrain> robots)
    {
        var body = await RequestBody.ReadAsync<RobotUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var change = new RobotChange(r.Name?.Trim(), r.Description, r.Status is { } status ? status == (int)RobotStatus.Disabled : null);
        return await robots.CommandAsync(caller, r.GUID, "GUID", robot => robot.UpdateAsync(caller.AccountId, change));
    }

    public static Task<IResult> Delete(string guid, HttpContext http, Resource<IRobotGrain> robots) =>
        robots.CommandAsync(http.Caller(), guid, "guid", robot => robot.DeleteAsync(http.Caller().AccountId), HoldsRunningJob);

    public static Task<IResult> GetStatus(string guid, HttpContext http, Resource<IRobotGrain> robots) =>
        robots.ReadAsync(http.Caller(), guid, "guid", robot => robot.GetAsync(http.Caller().AccountId), info => new RobotStatusView((int)info.Status));

    public static async Task<IResult> SetStatus(HttpRequest request, Resource<IRobotGrain> robots)
    {
        var body = await RequestBody.ReadAsync<RobotSetStatusRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var change = new RobotChange(null, null, r.Status == (int)RobotStatus.Disabled);
        return await robots.CommandAsync(caller, r.GUID, "GUID", robot => robot.UpdateAsync(caller.AccountId, change));
    }

    public static async Task<IResult> Heartbeat(HttpRequest request, Resource<IRobotGrain> robots, IOptions<RobotOptions> options, IHostApplicationLifetime lifetime)
    {
        var body = await RequestBody.ReadAsync<HeartbeatRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var reference = await robots.ResolveAsync(caller, r.GUID, "GUID");
        if (reference.Problem is not null)
        {
            return reference.Problem;
        }

        var robot = robots.Grain(reference.Value);
        var report = new HeartbeatReport(r.Machine, r.IP, r.MAC, r.Version, r.Ack, r.RunningJob);
        var reply = await robot.HeartbeatAsync(caller.AccountId, report);
        if (reply is null)
        {
            return robots.NotFound();
        }

        var deadline = DateTime.UtcNow.AddSeconds(r.Wait ?? 0);
        var hangUp = request.HttpContext.RequestAborted;

        // A silo shutting down answers its open polls at once, rather than hold its stop until each one's Wait is over.
        var stopping = lifetime.ApplicationStopping;
        CancellationTokenSource? wake = null;

        // The job the robot said it runs is as of the request: during the poll it may start the job it was just given,
        // and the same report again would reconcile that job as one it does not run.
        var polling = report with { RunningJob = null };
        try
        {
            while (reply.Commands.Count == 0 && !stopping.IsCancellationRequested && deadline - DateTime.UtcNow is { Ticks: > 0 } remaining)
            {
                // Made for a poll that waits only: most heartbeats do not.
                wake ??= CancellationTokenSource.CreateLinkedTokenSource(hangUp, stopping);
                await robot.WaitForCommandsAsync(caller.AccountId, remaining < WaitSlice ? remaining : WaitSlice, wake.Token);
                hangUp.ThrowIfCancellationRequested();

                // Taking the commands is a heartbeat of its own; a robot deleted meanwhile ends the poll.
                if (await robot.HeartbeatAsync(caller.AccountId, polling) is not { } next)
                {
                    return robots.NotFound();
                }

                reply = next;
            }
        }
        catch (OperationCanceledException) when (hangUp.IsCancellationRequested)
        {
            // The robot hung up while waiting: nobody is left to answer.
            return TypedResults.Empty;
        }
        catch (OperationCanceledException)
        {
            // The wait was cut short on the silo's side (it is shutting down): answer with what there is.
        }
        finally
        {
            wake?.Dispose();
        }

        if (hangUp.IsCancellationRequested && reply.Commands.Count > 0 && r.Ack is null)
        {
            // Taken for a robot that is no longer listening (and will not acknowledge): keep them for its next heartbeat.
            await robot.ReturnCommandsAsync(caller.AccountId, reply.Commands);
            return TypedResults.Empty;
        }

        var interval = (int)options.Value.HeartbeatInterval.TotalSeconds;
        return TypedResults.Json(new HeartbeatView((int)reply.Status, interval, reply.Commands.Select(RobotCommandView.From).ToList()));
    }
}
