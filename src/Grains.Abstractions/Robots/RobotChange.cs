namespace Orchestrator.Robots;

/// <summary>A partial update of a robot: null members are left as they are.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.robot-change")]
public sealed record RobotChange(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] bool? Disabled);
