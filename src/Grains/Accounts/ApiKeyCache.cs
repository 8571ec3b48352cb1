using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orchestrator.Hosting;

namespace Orchestrator.Accounts;

/// <summary>
/// This silo's map from API key (its SHA-256) to account, so that authenticating a request costs no database
/// round trip. Revoked keys (replaced, or their account deleted) leave it two ways: at once, through the
/// eviction every silo is sent (<see cref="IApiKeyRevocation"/>); and within about a second, through the
/// revocation log that <see cref="ApiKeyRevocationWatch"/> reads, for a silo that eviction did not reach. An
/// entry is trusted only while that log has been read recently (<see cref="OrchestratorOptions.KeyRevocationCheckInterval"/>
/// × <see cref="TrustedChecks"/>); past that, a key is looked up in the database again. A key that matched no
/// account is remembered briefly too, so that a flood of wrong keys is not a flood of queries.
/// </summary>
public sealed class ApiKeyCache
{
    /// <summary>How many check intervals an entry stays trusted after the last successful read of the revocation log.</summary>
    public const int TrustedChecks = 5;

    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RejectionTimeToLive = TimeSpan.FromSeconds(10);

    // Past this many entries, remembered rejections are forgotten: they must not grow without bound.
    private const int MaxEntries = 100_000;

    private readonly AccountRecords _records;
    private readonly TimeProvider _time;
    private readonly long _trustTicks;

    // A null caller is a remembered rejection.
    private readonly ConcurrentDictionary<ApiKeyDigest, (Caller? Caller, long ExpiresAt)> _entries = new();

    // Bumped by every eviction, so that a look-up that raced with one does not put a stale answer back.
    private long _generation;

    // When the last successful read of the revocation log began (a TimeProvider timestamp); 0 before the first.
    private long _checkedAt;

    public ApiKeyCache(AccountRecords records, TimeProvider time, IOptions<OrchestratorOptions> options)
    {
        _records = records;
        _time = time;
        _trustTicks = (long)(options.Value.KeyRevocationCheckInterval.TotalSeconds * TrustedChecks * time.TimestampFrequency);
    }

    /// <summary>The account of <paramref name="key"/>, or null when it is no account's key. Completes at once for a cached key.</summary>
    public ValueTask<Caller?> AuthenticateAsync(ReadOnlySpan<char> key)
    {
        var digest = ApiKeyDigest.Of(key);
        var now = _time.GetTimestamp();
        if (_entries.TryGetValue(digest, out var cached) && cached.ExpiresAt > now && IsTrusted(now))
        {
            return new ValueTask<Caller?>(cached.Caller);
        }

        return new ValueTask<Caller?>(LookUpAsync(digest));
    }

    /// <summary>Drops what is known of these key hashes: a revoked key, and a newly assigned one that may have been rejected before.</summary>
    public void Evict(IEnumerable<string> keyHashes)
    {
        Interlocked.Increment(ref _generation);
        foreach (var hash in keyHashes)
        {
            _entries.TryRemove(ApiKeyDigest.FromHex(hash), out _);
        }
    }

    /// <summary>Records that the revocation log was read, through everything committed before <paramref name="startedAt"/>.</summary>
    internal void Checked(long startedAt) => Interlocked.Exchange(ref _checkedAt, startedAt);

    /// <summary>Whether entries may be trusted as of <paramref name="now"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    internal bool IsTrusted(long now)
    {
        var checkedAt = Interlocked.Read(ref _checkedAt);
        return checkedAt != 0 && now - checkedAt <= _trustTicks;
    }

    /// <summary>Forgets everything: after a gap in reading the revocation log, no entry can be vouched for.</summary>
    internal void EvictAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private async Task<Caller?> LookUpAsync(ApiKeyDigest digest)
    {
        var generation = Interlocked.Read(ref _generation);
        var caller = await _records.FindCallerAsync(digest.ToHex());
        if (caller is null && _entries.Count >= MaxEntries)
        {
            ForgetRejections();
        }

        var lifetime = caller is null ? RejectionTimeToLive : TimeToLive;
        _entries[digest] = (caller, _time.GetTimestamp() + (long)(lifetime.TotalSeconds * _time.TimestampFrequency));

        // An eviction that ran since the look-up began may have missed the entry just stored: drop it.
        if (generation != Interlocked.Read(ref _generation))
        {
            _entries.TryRemove(digest, out _);
        }

        return caller;
    }

    private void ForgetRejections()
    {
        foreach (var (digest, entry) in _entries)
        {
            if (entry.Caller is null)
            {
                _entries.TryRemove(digest, out _);
            }
        }
    }
}
