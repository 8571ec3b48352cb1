namespace Orchestrator.Jobs;

/// <summary>A robot asking for work: its id and GUID, the groups it belongs to, and the runtime version it reports.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.idle-robot")]
public sealed record IdleRobot(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] IReadOnlyList<long> Groups,
    [property: Id(3)] decimal? Version);
