namespace Orchestrator.Processes;

/// <summary>The fields a new process is created with.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.process-draft")]
public sealed record ProcessDraft(
    [property: Id(0)] long AccountId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] decimal? MinVersionToRun,
    [property: Id(4)] ProcessType ProcessType);
