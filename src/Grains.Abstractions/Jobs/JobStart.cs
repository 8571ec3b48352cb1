namespace Orchestrator.Jobs;

/// <summary>What a robot needs to start a job it was leased: the StartJob command's fields.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.job-start")]
public sealed record JobStart(
    [property: Id(0)] Guid JobGuid,
    [property: Id(1)] Guid ProcessVersionGuid,
    [property: Id(2)] string ProcessFileName,
    [property: Id(3)] string? Parameters,
    [property: Id(4)] long? StopAfter);
