using Orleans.Concurrency;

namespace Orchestrator.Assets;

/// <summary>
/// One account's assets as its robots read them by name: the robots' hot path. Keyed by the account's numeric
/// id; it keeps the records it has been asked for in memory and forgets a name when its asset grain says the
/// asset changed, so a read after an acknowledged update never sees the old value.
/// </summary>
[Alias("orchestrator.account-assets")]
public interface IAccountAssetsGrain : IGrainWithIntegerKey
{
    /// <summary>The asset named <paramref name="name"/> if the robot (numeric id, already checked to be the account's) may read it.</summary>
    [Alias("read-for-robot"), ReadOnly]
    Task<AssetInfo?> ReadForRobotAsync(string name, long robotId);

    /// <summary>Forgets what is cached under these names; called by an asset grain after each committed write.</summary>
    [Alias("forget")]
    Task ForgetAsync(string[] names);
}
