namespace Orchestrator.Triggers;

/// <summary>A trigger as callers see it: its definition and what it has done.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.trigger-info")]
public sealed record TriggerInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] TriggerDefinition Definition,
    [property: Id(4)] long Runs,
    [property: Id(5)] long Skipped,
    [property: Id(6)] DateTimeOffset? NextRunAt,
    [property: Id(7)] DateTimeOffset? LastRunAt,
    [property: Id(8)] DateTimeOffset Created,
    [property: Id(9)] DateTimeOffset Updated);
