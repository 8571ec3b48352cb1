using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Accounts;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Assets;
using Orchestrator.Hosting;
using Orchestrator.Processes;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;
using Orchestrator.Triggers;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §10: triggers, cron and continuous, that create jobs.</summary>
public static class ScheduleApi
{
    private const int DefaultTake = 100;
    private const int MaxTake = 1000;

    public static RouteGroupBuilder MapScheduleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/schedule").WithTags("Triggers");
        api.MapPost("/create", Create)
            .WithName("CreateTrigger")
            .WithSummary("Create a trigger: a cron schedule (ProcessingType 2) or a continuous one (1) that creates jobs for a process")
            .WithJsonBody<TriggerCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadTrigger").WithSummary("Read a trigger, with runs, skipped, next_run_at and last_run_at").Produces<TriggerView>();
        api.MapGet("/list", List).WithName("ListTriggers").WithSummary("List the account's triggers (skip, take)").Produces<TriggerView[]>();
        api.MapPut("/update", Update)
            .WithName("UpdateTrigger")
            .WithSummary("Update a trigger: the next occurrence follows the new definition; a disabled trigger fires nothing more")
            .WithJsonBody<TriggerUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteTrigger").WithSummary("Delete a trigger; the jobs it created carry on");
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, Resource<ITriggerGrain> triggers, TriggerDefinitions definitions)
    {
        var body = await RequestBody.ReadAsync<TriggerCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var draft = new TriggerDefinition(
            r.Name!.Trim(), string.Empty, TriggerStatus.Enabled, (TriggerProcessingType)r.ProcessingType!.Value, null, "UTC",
            TriggerRobotType.AnyRobot, null, null, 0, null, null, 0, 1, false, null);
        var (definition, problem) = await definitions.ApplyAsync(caller, draft, r);
        if (problem is not null)
        {
            return problem;
        }

        return await triggers.CreateAsync(t => t.CreateAsync(caller.AccountId, definition!), (guid, id) => CreatedView.Of(guid, id));
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<ITriggerGrain> triggers) =>
        triggers.ReadAsync(http.Caller(), guid, "guid", t => t.GetAsync(http.Caller().AccountId), TriggerView.From);

    public static async Task<IResult> List(HttpRequest request, TriggerRecords triggers, OrchestratorClock clock)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        if (paging.Take is > MaxTake)
        {
            return Problems.Field("take", $"must be at most {MaxTake}.");
        }

        var rows = await triggers.ListAsync(request.HttpContext.Caller().AccountId, paging.Skip, paging.Take ?? DefaultTake);
        var now = clock.Now;
        var calendars = new Dictionary<long, HashSet<DateOnly>>();
        var views = new List<TriggerView>(rows.Count);
        foreach (var t in rows)
        {
            var d = t.Definition;
            DateTimeOffset? next = null;
            if (d is { Status: TriggerStatus.Enabled, ProcessingType: TriggerProcessingType.Scheduled } && (d.MaxRuns == 0 || t.Runs < d.MaxRuns))
            {
                HashSet<DateOnly>? calendar = null;
                if (d.CalendarAssetId is { } asset && !calendars.TryGetValue(asset, out calendar))
                {
                    calendars[asset] = calendar = await triggers.CalendarDatesAsync(asset);
                }

                next = new TriggerPlan(d, calendar).NextAfter(t.LastOccurrence > now ? t.LastOccurrence : now);
            }

            views.Add(TriggerView.From(new TriggerInfo(t.Id, t.Guid, t.AccountId, d, t.Runs, t.Skipped, next, t.LastRunAt, t.Created, t.Updated)));
        }

        return TypedResults.Json(views);
    }

    public static async Task<IResult> Update(HttpRequest request, Resource<ITriggerGrain> triggers, TriggerDefinitions definitions)
    {
        var body = await RequestBody.ReadAsync<TriggerUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var trigger = await triggers.ResolveAsync(caller, r.Guid, "Guid");
        if (trigger.Problem is not null)
        {
            return trigger.Problem;
        }

        var grain = triggers.Grain(trigger.Value);
        if (await grain.GetAsync(caller.AccountId) is not { } current)
        {
            return triggers.NotFound();
        }

        var (definition, problem) = await definitions.ApplyAsync(caller, current.Definition, r);
        if (problem is not null)
        {
            return problem;
        }

        return triggers.Answer(await grain.UpdateAsync(caller.AccountId, definition!));
    }

    public static Task<IResult> Delete(string guid, HttpContext http, Resource<ITriggerGrain> triggers) =>
        triggers.CommandAsync(http.Caller(), guid, "guid", t => t.DeleteAsync(http.Caller().AccountId));

    /// <summary>
    /// Turns a request's fields into a definition over <c>current</c> (the defaults on create): references resolved
    /// within the caller's account, and the rules that span fields checked on the result.
    /// </summary>
    public sealed class TriggerDefinitions(
        Resource<IProcessGrain> processes, Resource<IRobotGrain> robots, Resource<IRobotGroupGrain> groups, Resource<IAssetGrain> assets, AssetRecords assetRows)
    {
        public async Task<(TriggerDefinition? Definition, IResult? Problem)> ApplyAsync(Caller caller, TriggerDefinition current, TriggerCreateRequest r)
        {
            var d = current with
            {
                Name = r.Name?.Trim() ?? current.Name,
                Description = r.Description ?? current.Description,
                Status = (TriggerStatus?)r.Status ?? current.Status,
                ProcessingType = (TriggerProcessingType?)r.ProcessingType ?? current.ProcessingType,
                CronTab = r.CronTab is null ? current.CronTab : string.IsNullOrWhiteSpace(r.CronTab) ? null : string.Join(' ', r.CronTab.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
                TimeZone = r.TimeZone?.Trim() ?? current.TimeZone,
                RobotType = (TriggerRobotType?)r.RobotType ?? current.RobotType,
                StartAt = r.ClearsStartAt ? null : r.StartAtValue ?? current.StartAt,
                EndAt = r.ClearsEndAt ? null : r.EndAtValue ?? current.EndAt,
                MaxRuns = r.MaxRuns ?? current.MaxRuns,
                MaxRunningRobots = r.MaxRunningRobots ?? current.MaxRunningRobots,
                CheckMissedTrigger = r.CheckMissed ?? current.CheckMissedTrigger,
            };

            if (!string.IsNullOrWhiteSpace(r.ProcessReference))
            {
                var process = await MustExistAsync(processes, caller, r.ProcessReference, r.ProcessField, "one of your account's processes");
                if (process.Problem is not null)
                {
                    return (null, process.Problem);
                }

                d = d with { ProcessId = process.Value };
            }

            if (!string.IsNullOrWhiteSpace(r.RobotId))
            {
                var robot = await MustExistAsync(robots, caller, r.RobotId, nameof(r.RobotId), "one of your account's robots");
                if (robot.Problem is not null)
                {
                    return (null, robot.Problem);
                }

                d = d with { RobotId = robot.Value };
            }

            if (!string.IsNullOrWhiteSpace(r.RobotGroupId))
            {
                var group = await MustExistAsync(groups, caller, r.RobotGroupId, nameof(r.RobotGroupId), "one of your account's robot groups");
                if (group.Problem is not null)
                {
                    return (null, group.Problem);
                }

                d = d with { RobotGroupId = group.Value };
            }

            if (r.CalendarAssetId is { } calendarText)
            {
                if (calendarText.Trim() is "" or "0")
                {
                    d = d with { CalendarAssetId = null };
                }
                else
                {
                    var asset = await assets.ResolveAsync(caller, calendarText, nameof(r.CalendarAssetId));
                    if (asset.Problem is not null)
                    {
                        return (null, NotFoundIsBadField(asset.Problem, nameof(r.CalendarAssetId), "one of your account's Calendar assets"));
                    }

                    if (await assetRows.FindAsync(asset.Value) is not { } row || row.AccountId != caller.AccountId || row.Type != AssetType.Calendar)
                    {
                        return (null, Problems.Field(nameof(r.CalendarAssetId), "must name one of your account's Calendar assets (Type 3)."));
                    }

                    d = d with { CalendarAssetId = row.Id };
                }
            }

            return (d, Check(d));
        }

        /// <summary>The rules that span fields, on the definition as it will be stored.</summary>
        private static IResult? Check(TriggerDefinition d)
        {
            if (d.ProcessingType == TriggerProcessingType.Scheduled && d.CronTab is null)
            {
                return Problems.Field(nameof(TriggerCreateRequest.CronTab), "is required for a scheduled trigger (ProcessingType 2).");
            }

            if (d.RobotType == TriggerRobotType.Robot && d.RobotId is null)
            {
                return Problems.Field(nameof(TriggerCreateRequest.RobotId), "is required when RobotType is 2 (one robot).");
            }

            if (d.RobotType == TriggerRobotType.Group && d.RobotGroupId is null)
            {
                return Problems.Field(nameof(TriggerCreateRequest.RobotGroupId), "is required when RobotType is 1 (a robot group).");
            }

            if (d is { StartAt: { } start, EndAt: { } end } && end < start)
            {
                return Problems.Field(nameof(TriggerCreateRequest.EndAt), "must not be before StartAt.");
            }

            return null;
        }

        private static async Task<Resolution<long>> MustExistAsync<TGrain>(Resource<TGrain> resource, Caller caller, string reference, string field, string what)
            where TGrain : IGrainWithGuidKey
        {
            var resolved = await resource.ResolveIdAsync(caller, reference, field);
            return resolved.Problem is null ? resolved : Resolution<long>.Fail(NotFoundIsBadField(resolved.Problem, field, what));
        }

        /// <summary>A reference to nothing in a trigger is a field the client got wrong: a 400 naming it, not a 404 of the trigger.</summary>
        private static IResult NotFoundIsBadField(IResult problem, string field, string what) =>
            problem is IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound } ? Problems.Field(field, $"must name {what} (GUID or numeric id).") : problem;
    }
}
