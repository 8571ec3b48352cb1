namespace Orchestrator.Assets;

/// <summary>
/// What a robot's read by name found: the asset, or null when there is none of that name or its visibility rule
/// hides it from the robot; <see cref="RobotFound"/> is false when the robot is not a live robot of the account.
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.asset-for-robot")]
public sealed record AssetForRobot([property: Id(0)] bool RobotFound, [property: Id(1)] AssetInfo? Asset)
{
    public static readonly AssetForRobot NoRobot = new(false, null);

    public static readonly AssetForRobot Hidden = new(true, null);
}
