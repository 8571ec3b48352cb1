using Orchestrator.Common;

namespace Orchestrator.Queues;

/// <summary>
/// What one <see cref="QueueCall"/> answers: a take's <see cref="TaskTaken"/> fields, or an update's result with no task;
/// or the <see cref="Error"/> that failed it, which fails that call alone: the others of its list may have committed.
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.queue-call-answer")]
public sealed record QueueCallAnswer(
    [property: Id(0)] WriteResult Result,
    [property: Id(1)] TaskRecord? Task,
    [property: Id(2)] string? Error = null);
