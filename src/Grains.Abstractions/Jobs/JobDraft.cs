namespace Orchestrator.Jobs;

/// <summary>The fields a new job is created with; every reference is already resolved within the account.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.job-draft")]
public sealed record JobDraft(
    [property: Id(0)] long AccountId,
    [property: Id(1)] long ProcessId,
    [property: Id(2)] long ProcessVersionId,
    [property: Id(3)] long? TargetRobotId,
    [property: Id(4)] long? TargetGroupId,
    [property: Id(5)] int Priority,
    [property: Id(6)] string? Parameters,
    [property: Id(7)] long? StopAfterSeconds,
    [property: Id(8)] DateTimeOffset? StopAt,
    [property: Id(9)] long? ScheduleId = null,
    [property: Id(10)] DateTimeOffset? ScheduledAt = null);
