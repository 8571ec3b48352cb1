namespace Orchestrator.Queues;

/// <summary>An update of a task (PUT /api/task/update): null fields keep their value.</summary>
/// <param name="Tags">The task's tags in their stored form (<c>";a;b;"</c>), replacing the ones it has.</param>
/// <param name="ClearDeadline">The task's deadline is removed (a null <paramref name="Deadline"/> keeps it).</param>
/// <param name="ClearPostponed">The task is no longer postponed: it may be taken at once.</param>
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
    [property: Id(10)] string? Tags = null,
    [property: Id(11)] bool ClearDeadline = false,
    [property: Id(12)] bool ClearPostponed = false);
