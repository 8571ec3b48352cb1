using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Robots;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §3: robots, and the heartbeat of the robot protocol.</summary>
public static class RobotApi
{
    /// <summary>The longest a heartbeat may be held open waiting for a command.</summary>
    public const int MaxWaitSeconds = 60;

    // Orleans answers a call within its response timeout (30 s by default); a longer long-poll is made of shorter waits.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(20);

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

    public static async Task<IResult> Create(HttpRequest request, IGrainFactory grains)
    {
        var body = await RequestBody.ReadAsync<RobotCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if ((Validation.Name(r.Name, "Name") ?? Validation.Text(r.Description, "Description")) is { } invalid)
        {
            return invalid;
        }

        var caller = request.HttpContext.Caller();
        var guid = Guid.NewGuid();
        var robot = grains.GetGrain<IRobotGrain>(guid);
        var created = await robot.CreateAsync(new RobotDraft(caller.AccountId, r.Name!.Trim(), r.Description ?? string.Empty));
        if (created.Result == WriteResult.NameTaken)
        {
            return Problems.Conflict("Name", "A robot with this name already exists in your account.");
        }

        return TypedResults.Json(CreatedView.Of(
            guid, created.Id, ("Name", r.Name.Trim()), ("Description", r.Description ?? string.Empty), ("Status", (int)RobotStatus.Offline)));
    }

    public static async Task<IResult> Read(string guid, HttpContext http, IGrainFactory grains, References references)
    {
        var robot = await references.RobotAsync(http.Caller(), guid, "guid");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        var info = await grains.GetGrain<IRobotGrain>(robot.Value).GetAsync(http.Caller().AccountId);
        return info is null ? Problems.NotFound("Robot") : TypedResults.Json(RobotView.From(info));
    }

    public static async Task<IResult> List(
        HttpRequest request, RobotRecords robots, References references, OrchestratorClock clock, IOptions<RobotOptions> options)
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
                return Problems.Field("status", "must be a robot status: 0 Offline, 1 Available, 2 Busy, 3 Unresponsive, 4 Disabled.");
            }

            status = parsed;
        }

        var caller = request.HttpContext.Caller();
        long? groupId = null;
        var groupText = request.Query["group"].ToString();
        if (groupText.Length > 0)
        {
            var group = await references.RobotGroupIdAsync(caller, groupText, "group");
            if (group.Problem is not null)
            {
                return group.Problem;
            }

            groupId = group.Value;
        }

        var now = clock.Now;
        var rows = await robots.ListAsync(caller.AccountId, new RobotListFilter(status, groupId, paging.Skip, paging.Take), now);
        return TypedResults.Json(rows.Select(r => RobotView.From(r, RobotLiveness.FromRecord(r, now, options.Value))));
    }

    public static async Task<IResult> Update(HttpRequest request, IGrainFactory grains, References references)
    {
        var body = await RequestBody.ReadAsync<RobotUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if (((r.Name is null ? null : Validation.Name(r.Name, "Name")) ?? Validation.Text(r.Description, "Description")) is { } invalid)
        {
            return invalid;
        }

        bool? disabled = null;
        if (r.Status is { } status)
        {
            if (!Enum.IsDefined((RobotStatus)status))
            {
                return Problems.Field("Status", "must be a robot status: 0 Offline, 1 Available, 2 Busy, 3 Unresponsive, 4 Disabled.");
            }

            disabled = status == (int)RobotStatus.Disabled;
        }

        var caller = request.HttpContext.Caller();
        var robot = await references.RobotAsync(caller, r.GUID, "GUID");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        var result = await grains.GetGrain<IRobotGrain>(robot.Value).UpdateAsync(caller.AccountId, new RobotChange(r.Name?.Trim(), r.Description, disabled));
        return Answer(result);
    }

    public static async Task<IResult> Delete(string guid, HttpContext http, IGrainFactory grains, References references)
    {
        var robot = await references.RobotAsync(http.Caller(), guid, "guid");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        return Answer(await grains.GetGrain<IRobotGrain>(robot.Value).DeleteAsync(http.Caller().AccountId));
    }

    public static async Task<IResult> GetStatus(string guid, HttpContext http, IGrainFactory grains, References references)
    {
        var robot = await references.RobotAsync(http.Caller(), guid, "guid");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        var info = await grains.GetGrain<IRobotGrain>(robot.Value).GetAsync(http.Caller().AccountId);
        return info is null ? Problems.NotFound("Robot") : TypedResults.Json(new { Status = (int)info.Status });
    }

    public static async Task<IResult> SetStatus(HttpRequest request, IGrainFactory grains, References references)
    {
        var body = await RequestBody.ReadAsync<RobotSetStatusRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if (r.Status is not { } status)
        {
            return Problems.Field("Status", "is required.");
        }

        if (!Enum.IsDefined((RobotStatus)status))
        {
            return Problems.Field("Status", "must be a robot status: 0 Offline, 1 Available, 2 Busy, 3 Unresponsive, 4 Disabled.");
        }

        var caller = request.HttpContext.Caller();
        var robot = await references.RobotAsync(caller, r.GUID, "GUID");
        if (robot.Problem is not null)
        {
            return robot.Problem;
        }

        var disabled = status == (int)RobotStatus.Disabled;
        return Answer(await grains.GetGrain<IRobotGrain>(robot.Value).UpdateAsync(caller.AccountId, new RobotChange(null, null, disabled)));
    }

    public static async Task<IResult> Heartbeat(HttpRequest request, IGrainFactory grains, References references, IOptions<RobotOptions> options)
    {
        var body = await RequestBody.ReadAsync<HeartbeatRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if ((Validation.Line(r.Machine, "Machine") ?? Validation.Line(r.IP, "IP") ?? Validation.Line(r.MAC, "MAC") ?? Validation.Line(r.Version, "Version")) is { } invalid)
        {
            return invalid;
        }

        if (r.Wait is < 0 or > MaxWaitSeconds)
        {
            return Problems.Field("Wait", $"must be between 0 and {MaxWaitSeconds} seconds.");
        }

        var caller = request.HttpContext.Caller();
        var reference = await references.RobotAsync(caller, r.GUID, "GUID");
        if (reference.Problem is not null)
        {
            return reference.Problem;
        }

        var robot = grains.GetGrain<IRobotGrain>(reference.Value);
        if (r.Ack is < 0)
        {
            return Problems.Field("Ack", "must be a command Seq (0 or more).");
        }

        var report = new HeartbeatReport(r.Machine, r.IP, r.MAC, r.Version, r.Ack);
        var reply = await robot.HeartbeatAsync(caller.AccountId, report);
        if (reply is null)
        {
            return Problems.NotFound("Robot");
        }

        var deadline = DateTime.UtcNow.AddSeconds(r.Wait ?? 0);
        var hangUp = request.HttpContext.RequestAborted;
        try
        {
            while (reply.Commands.Count == 0 && deadline - DateTime.UtcNow is { Ticks: > 0 } remaining)
            {
                await robot.WaitForCommandsAsync(caller.AccountId, remaining < WaitSlice ? remaining : WaitSlice, hangUp);
                hangUp.ThrowIfCancellationRequested();

                // Taking the commands is a heartbeat of its own; a robot deleted meanwhile ends the poll.
                if (await robot.HeartbeatAsync(caller.AccountId, report) is not { } next)
                {
                    return Problems.NotFound("Robot");
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

        if (hangUp.IsCancellationRequested && reply.Commands.Count > 0 && r.Ack is null)
        {
            // Taken for a robot that is no longer listening (and will not acknowledge): keep them for its next heartbeat.
            await robot.ReturnCommandsAsync(caller.AccountId, reply.Commands);
            return TypedResults.Empty;
        }

        var interval = (int)options.Value.HeartbeatInterval.TotalSeconds;
        return TypedResults.Json(new HeartbeatView((int)reply.Status, interval, reply.Commands.Select(RobotCommandView.From).ToList()));
    }

    private static IResult Answer(WriteResult result) => result switch
    {
        WriteResult.Done => Empty.Ok,
        WriteResult.NameTaken => Problems.Conflict("Name", "A robot with this name already exists in your account."),
        WriteResult.Conflict => Problems.Conflict("guid", "The robot holds a running job."),
        _ => Problems.NotFound("Robot"),
    };
}
