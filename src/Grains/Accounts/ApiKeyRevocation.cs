using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Runtime.Services;

namespace Orchestrator.Accounts;

/// <summary>
/// Revokes keys on every silo the membership table knows to be up, by calling each silo's
/// <see cref="IApiKeyCacheService"/>. A silo that cannot be reached is logged and skipped: the revocation is
/// also in the revocation log, which that silo reads within about a second (<see cref="ApiKeyRevocationWatch"/>).
/// </summary>
public sealed class ApiKeyRevocation(
    IServiceProvider services,
    IClusterMembershipService membership,
    ILogger<ApiKeyRevocation> logger) : GrainServiceClient<IApiKeyCacheService>(services), IApiKeyRevocation
{
    public Task RevokeEverywhereAsync(IReadOnlyList<string> keyHashes) =>
        Task.WhenAll(membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status is SiloStatus.Joining or SiloStatus.Active or SiloStatus.ShuttingDown or SiloStatus.Stopping)
            .Select(member => Evict(member.SiloAddress, keyHashes)));

    private async Task Evict(SiloAddress silo, IReadOnlyList<string> keyHashes)
    {
        try
        {
            await GetGrainService(silo).EvictAsync(keyHashes);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not evict revoked API keys from silo {Silo}", silo);
        }
    }
}
