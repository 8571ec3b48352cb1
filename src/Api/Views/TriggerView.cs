using Orchestrator.Api.Http;
using Orchestrator.Triggers;

namespace Orchestrator.Api.Views;

/// <summary>
/// A trigger as /api/schedule/read answers it (API.md §10), plus <c>calendar_asset_id</c>, <c>created</c> and
/// <c>updated</c>. <c>runs</c>: the jobs it created; <c>skipped</c>: every occurrence that created no job: one that came
/// while its previous job still waited for a robot, one whose process had no version to run, and ones that passed
/// while no silo ran the trigger and were not caught up (with CheckMissedTrigger 1, all but the one caught up; counted
/// up to a million per recovery). Dates of its calendar, and times outside StartAt..EndAt or while it was disabled,
/// are not occurrences; <c>next_run_at</c>: its next occurrence (null when it is disabled, continuous or done);
/// <c>last_run_at</c>: when it last created a job.
/// </summary>
public sealed record TriggerView(
    long id,
    Guid guid,
    string name,
    string description,
    int status,
    int processing_type,
    int robot_type,
    long? robot_id,
    long? robot_group_id,
    long process_id,
    string? cron_tab,
    string time_zone,
    string? start_at,
    string? end_at,
    long max_runs,
    int max_running_robots,
    int check_missed_trigger,
    long? calendar_asset_id,
    long runs,
    long skipped,
    string? next_run_at,
    string? last_run_at,
    long account_id,
    string created,
    string updated)
{
    public static TriggerView From(TriggerInfo t)
    {
        var d = t.Definition;
        return new(
            t.Id, t.Guid, d.Name, d.Description, (int)d.Status, (int)d.ProcessingType, (int)d.RobotType, d.RobotId, d.RobotGroupId, d.ProcessId,
            d.CronTab, d.TimeZone, Stamp(d.StartAt), Stamp(d.EndAt), d.MaxRuns, d.MaxRunningRobots, d.CheckMissedTrigger ? 1 : 0, d.CalendarAssetId,
            t.Runs, t.Skipped, Stamp(t.NextRunAt), Stamp(t.LastRunAt), t.AccountId, JsonFormats.Timestamp(t.Created), JsonFormats.Timestamp(t.Updated));
    }

    private static string? Stamp(DateTimeOffset? time) => time is { } t ? JsonFormats.Timestamp(t) : null;
}
