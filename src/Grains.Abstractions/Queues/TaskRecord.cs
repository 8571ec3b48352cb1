namespace Orchestrator.Queues;

/// <summary>A row of the <c>tasks</c> table, as reads answer it.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.task-record")]
public sealed record TaskRecord(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] long QueueId,
    [property: Id(4)] string Name,
    [property: Id(5)] string Description,
    [property: Id(6)] string Comment,
    [property: Id(7)] QueueTaskStatus Status,
    [property: Id(8)] Guid? JobGuid,
    [property: Id(9)] int Priority,
    [property: Id(10)] DateTimeOffset Created,
    [property: Id(11)] DateTimeOffset? Started,
    [property: Id(12)] DateTimeOffset? Postponed,
    [property: Id(13)] DateTimeOffset? Deadline,
    [property: Id(14)] DateTimeOffset Updated,
    [property: Id(15)] int Retries,
    [property: Id(16)] long? ParentTask,
    [property: Id(17)] string Tags,
    [property: Id(18)] string? Parameters,
    [property: Id(19)] string? Result,
    [property: Id(20)] Guid? RobotGuid);
