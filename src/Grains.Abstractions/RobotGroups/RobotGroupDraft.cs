namespace Orchestrator.RobotGroups;

/// <summary>The fields a new robot group is created with.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.robot-group-draft")]
public sealed record RobotGroupDraft(
    [property: Id(0)] long AccountId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description);
