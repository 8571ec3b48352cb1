using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Orchestrator.Accounts;

/// <inheritdoc cref="IApiKeyCacheService"/>
[Reentrant]
public sealed class ApiKeyCacheService(GrainId id, Silo silo, ILoggerFactory loggerFactory, ApiKeyCache cache)
    : GrainService(id, silo, loggerFactory), IApiKeyCacheService
{
    public Task EvictAsync(IReadOnlyList<string> keyHashes)
    {
        cache.Evict(keyHashes);
        return Task.CompletedTask;
    }
}
