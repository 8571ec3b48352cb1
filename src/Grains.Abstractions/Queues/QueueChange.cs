namespace Orchestrator.Queues;

/// <summary>An update of a queue: null fields keep their value.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.queue-change")]
public sealed record QueueChange(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] bool? UniqueTasks,
    [property: Id(3)] bool? AutoChangeStatus);
