using Orchestrator.Hosting;

namespace Orchestrator.Assets;

/// <inheritdoc cref="IAccountAssetsGrain"/>
/// <remarks>
/// A read is answered from memory once the asset and the robot have been read once: the visibility rule is decided
/// on the cached robot's groups, with no query. Reads are [ReadOnly] and interleave; the forgets do not, so one runs
/// only once the reads in flight have finished, and a read that loaded a row just before a write cannot put the old
/// row back after the forget. Absent names are cached too (robots ask for what is not there as often as for what
/// is); a create forgets them. Unknown robots are not: a numeric id that names nothing today may name a robot tomorrow.
/// </remarks>
public sealed class AccountAssetsGrain(AssetRecords records, SecretCipher cipher, OrchestratorClock clock) : Grain, IAccountAssetsGrain
{
    private const int MaxCachedNames = 10_000;
    private const int MaxCachedRobots = 100_000;

    private readonly Dictionary<string, AssetRecord?> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, AssetReader> _robotsByGuid = [];
    private readonly Dictionary<long, AssetReader> _robotsById = [];

    public async Task<AssetForRobot> ReadForRobotAsync(string name, RobotReference robot)
    {
        var reader = await ReaderAsync(robot);
        if (reader is null)
        {
            return AssetForRobot.NoRobot;
        }

        var asset = await AssetAsync(name);
        var visible = asset?.RobotType switch
        {
            AssetVisibility.All => true,
            AssetVisibility.Robot => asset.RobotId == reader.Id,
            AssetVisibility.Group => asset.RobotGroupId is { } group && Array.IndexOf(reader.Groups, group) >= 0,
            _ => false,
        };
        return visible ? new AssetForRobot(true, asset!.ToInfo(cipher, clock.Now)) : AssetForRobot.Hidden;
    }

    public Task ForgetAsync(string[] names)
    {
        foreach (var name in names)
        {
            _byName.Remove(name);
        }

        return Task.CompletedTask;
    }

    public Task ForgetRobotAsync(long robotId)
    {
        if (_robotsById.Remove(robotId, out var reader))
        {
            _robotsByGuid.Remove(reader.Guid);
        }

        return Task.CompletedTask;
    }

    public Task ForgetGroupAsync(long groupId)
    {
        foreach (var reader in _robotsById.Values.Where(r => Array.IndexOf(r.Groups, groupId) >= 0).ToList())
        {
            _robotsById.Remove(reader.Id);
            _robotsByGuid.Remove(reader.Guid);
        }

        return Task.CompletedTask;
    }

    private async ValueTask<AssetRecord?> AssetAsync(string name)
    {
        if (_byName.TryGetValue(name, out var asset))
        {
            return asset;
        }

        asset = await records.FindByNameAsync(this.GetPrimaryKeyLong(), name);
        if (_byName.Count >= MaxCachedNames)
        {
            _byName.Clear();
        }

        _byName[name] = asset;
        return asset;
    }

    private async ValueTask<AssetReader?> ReaderAsync(RobotReference robot)
    {
        var cached = robot.Guid == Guid.Empty ? _robotsById.GetValueOrDefault(robot.Id) : _robotsByGuid.GetValueOrDefault(robot.Guid);
        if (cached is not null)
        {
            return cached;
        }

        var reader = await records.FindReaderAsync(this.GetPrimaryKeyLong(), robot);
        if (reader is not null)
        {
            if (_robotsById.Count >= MaxCachedRobots)
            {
                _robotsById.Clear();
                _robotsByGuid.Clear();
            }

            _robotsById[reader.Id] = reader;
            _robotsByGuid[reader.Guid] = reader;
        }

        return reader;
    }
}
