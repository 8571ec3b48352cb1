using Orleans.Concurrency;

namespace Orchestrator.Assets;

/// <summary>
/// One account's assets as its robots read them by name: the robots' hot path. Keyed by the account's numeric
/// id; it keeps in memory the records it has been asked for and the robots that asked (each robot's id and live
/// groups), and forgets an entry when the grain that changed it says so, so that a read after an acknowledged
/// change (an asset's update, a membership's, a robot's or a group's deletion) never sees the old one.
/// </summary>
[Alias("orchestrator.account-assets")]
public interface IAccountAssetsGrain : IGrainWithIntegerKey
{
    /// <summary>The asset named <paramref name="name"/> if the robot, a live robot of the account, may read it.</summary>
    [Alias("read-for-robot-v2"), ReadOnly]
    Task<AssetForRobot> ReadForRobotAsync(string name, RobotReference robot);

    /// <summary>Forgets what is cached under these names; called by an asset grain after each committed write.</summary>
    [Alias("forget")]
    Task ForgetAsync(string[] names);

    /// <summary>Forgets the robot (its id and groups); called once its membership or its record changed.</summary>
    [Alias("forget-robot")]
    Task ForgetRobotAsync(long robotId);

    /// <summary>Forgets every robot cached as a member of the group; called once the group is deleted.</summary>
    [Alias("forget-group")]
    Task ForgetGroupAsync(long groupId);
}
