namespace Orchestrator.Queues;

/// <summary>The fields a new queue is created with.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.queue-draft")]
public sealed record QueueDraft(
    [property: Id(0)] long AccountId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] bool UniqueTasks,
    [property: Id(4)] bool AutoChangeStatus);
