using Orchestrator.Common;

namespace Orchestrator.Queues;

/// <summary>What a take answers: the outcome and the task now InProgress, or none when no task is eligible.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.task-taken")]
public sealed record TaskTaken(
    [property: Id(0)] WriteResult Result,
    [property: Id(1)] TaskRecord? Task);
