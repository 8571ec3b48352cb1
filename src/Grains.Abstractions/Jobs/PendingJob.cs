namespace Orchestrator.Jobs;

/// <summary>
/// A job waiting for a robot, as the dispatcher orders and matches it: priority (high first), then age (its id),
/// its target (one robot, one group, or any robot of the account), and the lowest robot version its process runs on
/// (the process's, which the dispatcher keeps current when the process changes it).
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.pending-job")]
public sealed record PendingJob(
    [property: Id(0)] Guid Guid,
    [property: Id(1)] long Id,
    [property: Id(2)] int Priority,
    [property: Id(3)] long? TargetRobotId,
    [property: Id(4)] long? TargetGroupId,
    [property: Id(5)] decimal? MinVersionToRun,
    [property: Id(6)] long ProcessId = 0);
