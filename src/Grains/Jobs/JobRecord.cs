using Orchestrator.Records;

namespace Orchestrator.Jobs;

/// <summary>
/// A row of the <c>jobs</c> table, with what its process and version add for dispatch and start (read through
/// the version it runs; never written from here). <see cref="RobotId"/> is the robot that holds or held the lease.
/// <see cref="EndPending"/> is set with a terminal status and cleared once what the end entails has been done.
/// </summary>
public sealed record JobRecord(
    long Id,
    Guid Guid,
    long AccountId,
    long ProcessId,
    long ProcessVersionId,
    Guid ProcessVersionGuid,
    string ProcessFileName,
    decimal? MinVersionToRun,
    long? TargetRobotId,
    long? TargetGroupId,
    long? RobotId,
    Guid? RobotGuid,
    long? ScheduleId,
    DateTimeOffset? ScheduledAt,
    JobStatus Status,
    int Priority,
    string? Parameters,
    long? StopAfterSeconds,
    DateTimeOffset? StopAt,
    string Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool EndPending = false) : IAccountRecord
{
    /// <summary>The row a new job is inserted as: Pending, holding no robot, created at <paramref name="now"/>.</summary>
    public static JobRecord New(Guid guid, JobDraft draft, DateTimeOffset now) => new(
        0, guid, draft.AccountId, draft.ProcessId, draft.ProcessVersionId, Guid.Empty, string.Empty, null,
        draft.TargetRobotId, draft.TargetGroupId, null, null, draft.ScheduleId, draft.ScheduledAt, JobStatus.Pending, draft.Priority,
        draft.Parameters, draft.StopAfterSeconds, draft.StopAt, string.Empty, now, now, null, null);

    public PendingJob ToPending() => new(Guid, Id, Priority, TargetRobotId, TargetGroupId, MinVersionToRun, ProcessId);

    public JobInfo ToInfo() => new(
        Id, Guid, AccountId, Status, ProcessVersionId, ProcessVersionGuid, RobotId, RobotGuid, ScheduleId, ScheduledAt,
        StopAfterSeconds, StopAt, Priority, Parameters, CreatedAt, UpdatedAt, StartedAt, FinishedAt, Message);
}
