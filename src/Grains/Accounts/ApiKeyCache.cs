using System.Collections.Concurrent;

namespace Orchestrator.Accounts;

/// <summary>
/// This silo's map from API-key hash to account, so that authenticating a request costs no database round
/// trip. Entries are dropped on every silo when a key is replaced or its account deleted
/// (<see cref="IApiKeyRevocation"/>). Entries also expire after a few minutes, a backstop for a silo that
/// could not be reached when a key was revoked.
/// </summary>
public sealed class ApiKeyCache(AccountRecords records, TimeProvider time)
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (Caller Caller, long ExpiresAt)> _callers = new(StringComparer.Ordinal);

    // Bumped by every eviction, so that a look-up that raced with one does not put a revoked key back.
    private long _generation;

    public async ValueTask<Caller?> AuthenticateAsync(string key)
    {
        var hash = ApiKeys.HashOf(key);
        if (_callers.TryGetValue(hash, out var cached) && cached.ExpiresAt > time.GetTimestamp())
        {
            return cached.Caller;
        }

        var generation = Interlocked.Read(ref _generation);
        var caller = await records.FindCallerAsync(hash);
        if (caller is not null)
        {
            _callers[hash] = (caller, time.GetTimestamp() + (long)(TimeToLive.TotalSeconds * time.TimestampFrequency));

            // An eviction that ran since the look-up began may have missed the entry just stored: drop it.
            if (generation != Interlocked.Read(ref _generation))
            {
                _callers.TryRemove(hash, out _);
            }
        }

        return caller;
    }

    public void Evict(IEnumerable<string> keyHashes)
    {
        Interlocked.Increment(ref _generation);
        foreach (var hash in keyHashes)
        {
            _callers.TryRemove(hash, out _);
        }
    }
}
