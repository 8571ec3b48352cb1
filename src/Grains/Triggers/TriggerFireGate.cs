using Orchestrator.Storage;

namespace Orchestrator.Triggers;

/// <summary>
/// How many triggers of this silo write a fire at once. Thousands of triggers due in the same second would
/// otherwise all write together: SQLite takes one writer at a time and makes the others wait (its busy handler
/// sleeps, holding the thread), which stalls the silo's scheduler; fires taken a few at a time go through
/// faster than all at once. PostgreSQL takes many writers, and gets a wider gate.
/// </summary>
public sealed class TriggerFireGate(OrchestratorDatabase database)
{
    private readonly SemaphoreSlim _gate = new(database.Kind == DatabaseKind.Sqlite ? 1 : 32);

    public async Task<IDisposable> EnterAsync()
    {
        await _gate.WaitAsync();
        return new Release(_gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
