namespace Orchestrator.Jobs;

/// <summary>A job as callers see it.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.job-info")]
public sealed record JobInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] JobStatus Status,
    [property: Id(4)] long ProcessVersionId,
    [property: Id(5)] Guid ProcessVersionGuid,
    [property: Id(6)] long? RobotId,
    [property: Id(7)] Guid? RobotGuid,
    [property: Id(8)] long? ScheduleId,
    [property: Id(9)] DateTimeOffset? ScheduledAt,
    [property: Id(10)] long? StopAfterSeconds,
    [property: Id(11)] DateTimeOffset? StopAt,
    [property: Id(12)] int Priority,
    [property: Id(13)] string? Parameters,
    [property: Id(14)] DateTimeOffset CreatedAt,
    [property: Id(15)] DateTimeOffset UpdatedAt,
    [property: Id(16)] DateTimeOffset? StartedAt,
    [property: Id(17)] DateTimeOffset? FinishedAt,
    [property: Id(18)] string Message);
