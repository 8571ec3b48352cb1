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
        var (change, problem) = await definitions.ResolveAsync(caller, r);
        if (problem is not null)
        {
            return problem;
        }

        var definition = change!.ApplyTo(draft);
        if (TriggerRules.Check(definition) is { } invalid)
        {
            return Problems.Field(invalid.Field, invalid.Detail);
        }

        return await triggers.CreateAsync(t => t.CreateAsync(caller.AccountId, definition), (guid, id) => CreatedView.Of(guid, id));
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<ITriggerGrain> triggers) =>
        triggers.ReadAsync(http.Caller(), guid, "guid", t => t.GetAsync(http.Caller().AccountId), TriggerView.From);

    public static async Task<IResult> List(HttpRequest request, TriggerRecords triggers, OrchestratorClock clock)
    {
        if (!Paging.TryReadPage(request, out var skip, out var take, out var problem))
        {
            return problem!;
        }

        var rows = await triggers.ListAsync(request.HttpContext.Caller().AccountId, skip, take);
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

        var (change, problem) = await definitions.ResolveAsync(caller, r);
        if (problem is not null)
        {
            return problem;
        }

        var written = await triggers.Grain(trigger.Value).UpdateAsync(caller.AccountId, change!);
        return written.InvalidField is { } field ? Problems.Field(field, written.InvalidDetail ?? "is invalid.") : triggers.Answer(written.Result);
    }

    public static Task<IResult> Delete(string guid, HttpContext http, Resource<ITriggerGrain> triggers) =>
        triggers.CommandAsync(http.Caller(), guid, "guid", t => t.DeleteAsync(http.Caller().AccountId));

    /// <summary>
    /// Turns a request's fields into a change (null: not sent), references resolved within the caller's account. The
    /// rules that span fields are checked on the definition it makes: the defaults on create, the stored one on update.
    /// </summary>
    public sealed class TriggerDefinitions(
        Resource<IProcessGrain> processes, Resource<IRobotGrain> robots, Resource<IRobotGroupGrain> groups, Resource<IAssetGrain> assets, AssetRecords assetRows)
    {
        public async Task<(TriggerChange? Change, IResult? Problem)> ResolveAsync(Caller caller, TriggerCreateRequest r)
        {
            var change = new TriggerChange(
                Name: r.Name?.Trim(),
                Description: r.Description,
                Status: (TriggerStatus?)r.Status,
                ProcessingType: (TriggerProcessingType?)r.ProcessingType,
                CronTab: string.IsNullOrWhiteSpace(r.CronTab) ? null : string.Join(' ', r.CronTab.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
                ClearCronTab: r.CronTab is not null && string.IsNullOrWhiteSpace(r.CronTab),
                TimeZone: r.TimeZone?.Trim(),
                RobotType: (TriggerRobotType?)r.RobotType,
                StartAt: r.StartAtValue,
                ClearStartAt: r.ClearsStartAt,
                EndAt: r.EndAtValue,
                ClearEndAt: r.ClearsEndAt,
                MaxRuns: r.MaxRuns,
                MaxRunningRobots: r.MaxRunningRobots,
                CheckMissedTrigger: r.CheckMissed);

            if (!string.IsNullOrWhiteSpace(r.ProcessReference))
            {
                var process = await MustExistAsync(processes, caller, r.ProcessReference, r.ProcessField, "Process");
                if (process.Problem is not null)
                {
                    return (null, process.Problem);
                }

                change = change with { ProcessId = process.Value };
            }

            if (!string.IsNullOrWhiteSpace(r.RobotId))
            {
                var robot = await MustExistAsync(robots, caller, r.RobotId, nameof(r.RobotId), "Robot");
                if (robot.Problem is not null)
                {
                    return (null, robot.Problem);
                }

                change = change with { RobotId = robot.Value };
            }

            if (!string.IsNullOrWhiteSpace(r.RobotGroupId))
            {
                var group = await MustExistAsync(groups, caller, r.RobotGroupId, nameof(r.RobotGroupId), "Robot group");
                if (group.Problem is not null)
                {
                    return (null, group.Problem);
                }

                change = change with { RobotGroupId = group.Value };
            }

            // The vendor document numbers RobotType 0 "one robot", this project 0 "any robot" (API.md §2): a robot (or a
            // group) named with RobotType 0, or with none, is the trigger's target, as a client of either reading means.
            if (r.RobotType is null or 0)
            {
                change = change.RobotId is not null ? change with { RobotType = TriggerRobotType.Robot }
                    : change.RobotGroupId is not null ? change with { RobotType = TriggerRobotType.Group }
                    : change;
            }

            if (r.CalendarAssetId is { } calendarText)
            {
                if (calendarText.Trim() is "" or "0")
                {
                    change = change with { ClearCalendarAssetId = true };
                }
                else
                {
                    var asset = await assets.ResolveAsync(caller, calendarText, nameof(r.CalendarAssetId));
                    if (asset.Problem is not null)
                    {
                        return (null, NotFoundNamesField(asset.Problem, nameof(r.CalendarAssetId), "Calendar asset"));
                    }

                    if (await assetRows.FindAsync(asset.Value) is not { } row || row.AccountId != caller.AccountId)
                    {
                        return (null, Problems.NotFound("Calendar asset", nameof(r.CalendarAssetId)));
                    }

                    if (row.Type != AssetType.Calendar)
                    {
                        return (null, Problems.Field(nameof(r.CalendarAssetId), "must name a Calendar asset (Type 3)."));
                    }

                    change = change with { CalendarAssetId = row.Id };
                }
            }

            return (change, null);
        }

        private static async Task<Resolution<long>> MustExistAsync<TGrain>(Resource<TGrain> resource, Caller caller, string reference, string field, string what)
            where TGrain : IGrainWithGuidKey
        {
            var resolved = await resource.ResolveIdAsync(caller, reference, field);
            return resolved.Problem is null ? resolved : Resolution<long>.Fail(NotFoundNamesField(resolved.Problem, field, what));
        }

        /// <summary>
        /// A reference to nothing in the caller's account is a 404 (API.md §1), as in every module; a trigger's body has
        /// four references, so the answer names the one that found nothing.
        /// </summary>
        private static IResult NotFoundNamesField(IResult problem, string field, string what) =>
            problem is IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound } ? Problems.NotFound(what, field) : problem;
    }
}
