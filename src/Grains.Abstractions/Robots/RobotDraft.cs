namespace Orchestrator.Robots;

/// <summary>The fields a new robot is created with.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.robot-draft")]
public sealed record RobotDraft(
    [property: Id(0)] long AccountId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description);
