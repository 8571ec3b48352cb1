using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Assets;

/// <summary>
/// One asset: the only writer of its record; it encrypts a credential's password before it reaches the row.
/// Keyed by the asset's GUID; an asset of another account answers as if it did not exist.
/// </summary>
[Alias("orchestrator.asset")]
public interface IAssetGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<AssetWrite> CreateAsync(AssetDraft draft);

    [Alias("get"), ReadOnly]
    Task<AssetInfo?> GetAsync(long accountId);

    [Alias("update")]
    Task<AssetWrite> UpdateAsync(long accountId, AssetChange change);

    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);
}
