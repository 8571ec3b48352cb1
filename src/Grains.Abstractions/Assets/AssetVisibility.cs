namespace Orchestrator.Assets;

/// <summary>Which robots may read an asset by name (API.md §2: the asset's <c>RobotType</c>).</summary>
[GenerateSerializer, Alias("orchestrator.asset-visibility")]
public enum AssetVisibility
{
    /// <summary>Only the robot named by <c>RobotId</c>.</summary>
    Robot = 1,

    /// <summary>Only the members of the group named by <c>RobotGroupId</c>.</summary>
    Group = 2,

    All = 3,
}
