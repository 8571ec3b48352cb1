namespace Orchestrator.Storage;

/// <summary>
/// Reads by key, many keys in one query when many are asked at once: thousands of grains activating together (the
/// jobs of triggers due in the same second, the triggers a silo wakes at start) read their rows in a few dozen queries,
/// not thousands, each a round trip, a pooled connection and a statement of the server's. While
/// <paramref name="maxInFlight"/> queries are under way the keys asked meanwhile wait, and go together in the next one
/// (as the group commit does with writes); a key asked alone is read at once. Every query is sent after each key it
/// reads was asked, so an answer never predates its question: a write that completed before the read was asked is
/// seen, as with a query of its own.
/// </summary>
/// <param name="read">Reads the rows of the keys given; a key with no row is left out of the answer.</param>
/// <param name="missing">The answer for a key with no row.</param>
/// <param name="maxBatch">The most keys one query reads.</param>
/// <param name="maxInFlight">
/// The most queries under way at once: enough that a slow one does not hold up the next keys, few enough that a burst
/// takes a handful of pooled connections, not the whole pool.
/// </param>
public sealed class ReadBatcher<TKey, TValue>(
    Func<IReadOnlyList<TKey>, Task<Dictionary<TKey, TValue>>> read, TValue missing, int maxBatch = 500, int maxInFlight = 4)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private Dictionary<TKey, TaskCompletionSource<TValue>> _waiting = [];
    private int _inFlight;

    /// <summary>
    /// The batcher kept in <paramref name="field"/>, made on first use: a table's batcher reads with the table's own
    /// methods, which its field initializer cannot name.
    /// </summary>
    public static ReadBatcher<TKey, TValue> Once(ref ReadBatcher<TKey, TValue>? field, Func<IReadOnlyList<TKey>, Task<Dictionary<TKey, TValue>>> read, TValue missing) =>
        field ?? Interlocked.CompareExchange(ref field, new ReadBatcher<TKey, TValue>(read, missing), null) ?? field;

    public Task<TValue> ReadAsync(TKey key)
    {
        TaskCompletionSource<TValue> answer;
        lock (_lock)
        {
            // The same key asked again before its query is sent: that query answers both (it is sent after both asked).
            if (_waiting.TryGetValue(key, out var joined))
            {
                return joined.Task;
            }

            answer = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[key] = answer;
            if (_inFlight >= maxInFlight)
            {
                return answer.Task;
            }

            _inFlight++;
        }

        // Run outside the caller's grain, so that no grain's turn carries other grains' reads.
        _ = Task.Run(SendAsync);
        return answer.Task;
    }

    private async Task SendAsync()
    {
        while (true)
        {
            Dictionary<TKey, TaskCompletionSource<TValue>> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                if (_waiting.Count <= maxBatch)
                {
                    batch = _waiting;
                    _waiting = [];
                }
                else
                {
                    batch = new Dictionary<TKey, TaskCompletionSource<TValue>>(maxBatch);
                    foreach (var (key, answer) in _waiting)
                    {
                        batch[key] = answer;
                        if (batch.Count == maxBatch)
                        {
                            break;
                        }
                    }

                    foreach (var key in batch.Keys)
                    {
                        _waiting.Remove(key);
                    }
                }
            }

            try
            {
                var rows = await read([.. batch.Keys]);
                foreach (var (key, answer) in batch)
                {
                    answer.TrySetResult(rows.TryGetValue(key, out var row) ? row : missing);
                }
            }
            catch (Exception e)
            {
                foreach (var answer in batch.Values)
                {
                    answer.TrySetException(e);
                }
            }
        }
    }
}
