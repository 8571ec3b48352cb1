namespace Orchestrator.Queues;

/// <summary>A queue and how many of its live tasks are in each status (indexed by <see cref="QueueTaskStatus"/>).</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.queue-info")]
public sealed record QueueInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] string Name,
    [property: Id(4)] string Description,
    [property: Id(5)] bool UniqueTasks,
    [property: Id(6)] bool AutoChangeStatus,
    [property: Id(7)] DateTimeOffset Created,
    [property: Id(8)] DateTimeOffset Updated,
    [property: Id(9)] IReadOnlyList<long> Counts);
