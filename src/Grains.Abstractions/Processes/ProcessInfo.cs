namespace Orchestrator.Processes;

/// <summary>A process and its latest live version (null when it has none).</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.process-info")]
public sealed record ProcessInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] string Name,
    [property: Id(4)] string Description,
    [property: Id(5)] decimal? MinVersionToRun,
    [property: Id(6)] ProcessType ProcessType,
    [property: Id(7)] DateTimeOffset Created,
    [property: Id(8)] DateTimeOffset Updated,
    [property: Id(9)] long? LatestVersionId,
    [property: Id(10)] Guid? LatestVersionGuid);
