using Orchestrator.Common;

namespace Orchestrator.Queues;

/// <summary>What a task create answers: the outcome, the new tasks' ids in order, and on a name clash the index of the clashing task.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.tasks-created")]
public sealed record TasksCreated(
    [property: Id(0)] WriteResult Result,
    [property: Id(1)] IReadOnlyList<long> Ids,
    [property: Id(2)] int FailedIndex);
