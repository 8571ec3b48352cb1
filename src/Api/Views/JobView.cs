using Orchestrator.Api.Http;
using Orchestrator.Jobs;

namespace Orchestrator.Api.Views;

/// <summary>
/// A job as /api/job/read answers it. <c>stop_after</c> is the seconds or the date-time it was created with. <c>type</c>:
/// 0 Manual (no trigger), 1 Scheduled (fired for a cron occurrence, <c>scheduled_at</c>), 2 Continuous (a trigger's job
/// fired for no occurrence).
/// </summary>
public sealed record JobView(
    long id,
    Guid guid,
    int status,
    int type,
    long process_version_id,
    Guid process_version_guid,
    long? robot_id,
    Guid? robot_guid,
    long account_id,
    long? schedule_id,
    string? scheduled_at,
    object? stop_after,
    int priority,
    System.Text.Json.JsonElement? parameters,
    string created_at,
    string updated_at,
    string? started_at,
    string? finished_at,
    string message)
{
    public static JobView From(JobInfo j) => new(
        j.Id, j.Guid, (int)j.Status, j.ScheduleId is null ? 0 : j.ScheduledAt is null ? 2 : 1, j.ProcessVersionId, j.ProcessVersionGuid, j.RobotId, j.RobotGuid,
        j.AccountId, j.ScheduleId, Stamp(j.ScheduledAt), (object?)j.StopAfterSeconds ?? Stamp(j.StopAt), j.Priority,
        j.Parameters is null ? null : System.Text.Json.JsonDocument.Parse(j.Parameters).RootElement.Clone(),
        JsonFormats.Timestamp(j.CreatedAt), JsonFormats.Timestamp(j.UpdatedAt), Stamp(j.StartedAt), Stamp(j.FinishedAt), j.Message);

    private static string? Stamp(DateTimeOffset? time) => time is { } t ? JsonFormats.Timestamp(t) : null;
}
