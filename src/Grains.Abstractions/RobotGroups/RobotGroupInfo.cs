namespace Orchestrator.RobotGroups;

/// <summary>A robot group and the GUIDs of its live member robots.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.robot-group-info")]
public sealed record RobotGroupInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] string Name,
    [property: Id(4)] string Description,
    [property: Id(5)] DateTimeOffset Created,
    [property: Id(6)] DateTimeOffset Updated,
    [property: Id(7)] IReadOnlyList<Guid> Robots);
