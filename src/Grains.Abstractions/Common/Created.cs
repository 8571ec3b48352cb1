namespace Orchestrator.Common;

/// <summary>What a create call answers: the outcome and, when it succeeded, the new record's numeric id.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.created")]
public sealed record Created([property: Id(0)] WriteResult Result, [property: Id(1)] long Id);
