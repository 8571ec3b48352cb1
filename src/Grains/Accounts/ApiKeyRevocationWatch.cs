using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Hosting;

namespace Orchestrator.Accounts;

/// <summary>
/// Reads the revocation log (<c>api_key_revocations</c>) once per <see cref="OrchestratorOptions.KeyRevocationCheckInterval"/>
/// and evicts what it names from this silo's <see cref="ApiKeyCache"/>. It is the backstop for the immediate
/// eviction, which misses a silo that cannot be reached at that moment: such a silo stops accepting a revoked
/// key within about one interval. The requests themselves never wait for it: one small query per interval per
/// silo, however many requests there are.
/// </summary>
public sealed class ApiKeyRevocationWatch(
    AccountRecords records,
    ApiKeyCache cache,
    IOptions<OrchestratorOptions> options,
    TimeProvider time,
    ILogger<ApiKeyRevocationWatch> logger) : BackgroundService
{
    // A revocation's id is taken when it is inserted, but becomes visible when its transaction commits, so ids can
    // appear out of order; rows this recent are read again on every check to catch one that committed late.
    private static readonly TimeSpan LateCommit = TimeSpan.FromSeconds(10);

    private long _lastId = -1;
    private int _failures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.KeyRevocationCheckInterval, time);
        do
        {
            await CheckAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Reads the log once and evicts the revoked keys it names; a failure is logged and leaves the cache distrusted in time.</summary>
    public async Task CheckAsync()
    {
        var startedAt = time.GetTimestamp();
        try
        {
            if (_lastId < 0 || !cache.IsTrusted(startedAt))
            {
                // The first read, or the first after a gap: whatever is cached may predate a revocation this silo
                // never saw, so start over from the newest row.
                var latest = await records.LatestRevocationAsync();
                cache.EvictAll();
                _lastId = latest;
            }
            else
            {
                var since = time.GetUtcNow() - LateCommit;
                var rows = await records.RevocationsAfterAsync(_lastId, since);
                if (rows.Count > 0)
                {
                    cache.Evict(rows.Select(r => r.KeyHash));
                    _lastId = Math.Max(_lastId, rows.Max(r => r.Id));
                }
            }

            cache.Checked(startedAt);
            if (_failures >= ApiKeyCache.TrustedChecks)
            {
                logger.LogInformation("The API-key revocation log can be read again");
            }

            _failures = 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failure or two is a busy database, or a start that has not applied the schema yet; a run of them
            // long enough to distrust the cache is worth an operator's attention.
            if (++_failures == ApiKeyCache.TrustedChecks)
            {
                logger.LogWarning(e, "Could not read the API-key revocation log; cached keys are checked against the database until it can be read again");
            }
        }
    }
}
