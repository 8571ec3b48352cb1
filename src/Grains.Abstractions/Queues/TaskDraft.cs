namespace Orchestrator.Queues;

/// <summary>The fields a new task is created with; <see cref="Guid"/> is chosen by the caller so a retried request can be recognised.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.task-draft")]
public sealed record TaskDraft(
    [property: Id(0)] Guid Guid,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] string Comment,
    [property: Id(4)] DateTimeOffset? Deadline,
    [property: Id(5)] DateTimeOffset? Postponed,
    [property: Id(6)] int Retries,
    [property: Id(7)] int Priority,
    [property: Id(8)] string? Parameters,
    [property: Id(9)] string Tags);
