namespace Orchestrator.Queues;

/// <summary>An update of a task (PUT /api/task/update): null fields keep their value.</summary>
/// <param name="Tags">The task's tags in their stored form (<c>";a;b;"</c>), replacing the ones it has.</param>
[GenerateSerializer, Immutable, Alias("orchestrator.task-change")]
public sealed record TaskChange(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? Comment,
    [property: Id(3)] DateTimeOffset? Deadline,
    [property: Id(4)] int? Retries,
    [property: Id(5)] string? Parameters,
    [property: Id(6)] QueueTaskStatus? Status,
    [property: Id(7)] string? Result,
    [property: Id(8)] int? Priority,
    [property: Id(9)] DateTimeOffset? Postponed,
    [property: Id(10)] string? Tags = null);
