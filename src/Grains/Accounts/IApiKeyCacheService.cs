using Orleans.Services;

namespace Orchestrator.Accounts;

/// <summary>The per-silo service that owns that silo's <see cref="ApiKeyCache"/>, so other silos can evict from it.</summary>
[Alias("orchestrator.api-key-cache-service")]
public interface IApiKeyCacheService : IGrainService
{
    [Alias("evict")]
    Task EvictAsync(IReadOnlyList<string> keyHashes);
}
