using System.Collections.Concurrent;

namespace Orchestrator.Accounts;

/// <summary>
/// This silo's map from API-key hash to account, so that authenticating a request costs no database round
/// trip. Entries are dropped on every silo when a key is replaced or its account deleted
/// (<see cref="IApiKeyRevocation"/>). Entries also expire after a few minutes, a backstop for a silo that
/// could not be reached when a key was revoked. A key that matched no account is remembered briefly too, so
/// that a flood of wrong keys is not a flood of queries.
/// </summary>
public sealed class ApiKeyCache(AccountRecords records, TimeProvider time)
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RejectionTimeToLive = TimeSpan.FromSeconds(10);

    // Past this many entries, remembered rejections are forgotten: they must not grow without bound.
    private const int MaxEntries = 100_000;

    // A null caller is a remembered rejection.
    private readonly ConcurrentDictionary<string, (Caller? Caller, long ExpiresAt)> _entries = new(StringComparer.Ordinal);

    // Bumped by every eviction, so that a look-up that raced with one does not put a stale answer back.
    private long _generation;

    public async ValueTask<Caller?> AuthenticateAsync(string key)
    {
        var hash = ApiKeys.HashOf(key);
        if (_entries.TryGetValue(hash, out var cached) && cached.ExpiresAt > time.GetTimestamp())
        {
            return cached.Caller;
        }

        var generation = Interlocked.Read(ref _generation);
        var caller = await records.FindCallerAsync(hash);
        if (caller is null && _entries.Count >= MaxEntries)
        {
            ForgetRejections();
        }

        _entries[hash] = (caller, time.GetTimestamp() + (long)((caller is null ? RejectionTimeToLive : TimeToLive).TotalSeconds * time.TimestampFrequency));

        // An eviction that ran since the look-up began may have missed the entry just stored: drop it.
        if (generation != Interlocked.Read(ref _generation))
        {
            _entries.TryRemove(hash, out _);
        }

        return caller;
    }

    /// <summary>Drops what is known of these key hashes: a revoked key, and a newly assigned one that may have been rejected before.</summary>
    public void Evict(IEnumerable<string> keyHashes)
    {
        Interlocked.Increment(ref _generation);
        foreach (var hash in keyHashes)
        {
            _entries.TryRemove(hash, out _);
        }
    }

    private void ForgetRejections()
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Caller is null)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }
}
