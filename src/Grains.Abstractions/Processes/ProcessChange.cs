namespace Orchestrator.Processes;

/// <summary>A partial update of a process: null members are left as they are.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.process-change")]
public sealed record ProcessChange(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] decimal? MinVersionToRun,
    [property: Id(3)] ProcessType? ProcessType);
