using Orchestrator.Hosting;

namespace Orchestrator.Assets;

/// <inheritdoc cref="IAccountAssetsGrain"/>
/// <remarks>
/// Reads are [ReadOnly] and interleave; <see cref="ForgetAsync"/> does not, so it runs only once the reads in flight
/// have finished and a read that loaded a row just before a write cannot put the old row back after the forget.
/// Absent names are cached too (robots ask for what is not there as often as for what is); a create forgets them.
/// </remarks>
public sealed class AccountAssetsGrain(AssetRecords records, SecretCipher cipher, OrchestratorClock clock) : Grain, IAccountAssetsGrain
{
    private const int MaxCachedNames = 10_000;

    private readonly Dictionary<string, AssetRecord?> _byName = new(StringComparer.Ordinal);

    public async Task<AssetInfo?> ReadForRobotAsync(string name, long robotId)
    {
        if (!_byName.TryGetValue(name, out var asset))
        {
            asset = await records.FindByNameAsync(this.GetPrimaryKeyLong(), name);
            if (_byName.Count >= MaxCachedNames)
            {
                _byName.Clear();
            }

            _byName[name] = asset;
        }

        if (asset is null)
        {
            return null;
        }

        var visible = asset.RobotType switch
        {
            AssetVisibility.All => true,
            AssetVisibility.Robot => asset.RobotId == robotId,
            AssetVisibility.Group => asset.RobotGroupId is { } group && await records.IsMemberAsync(group, robotId),
            _ => false,
        };
        return visible ? asset.ToInfo(cipher, clock.Now) : null;
    }

    public Task ForgetAsync(string[] names)
    {
        foreach (var name in names)
        {
            _byName.Remove(name);
        }

        return Task.CompletedTask;
    }
}
