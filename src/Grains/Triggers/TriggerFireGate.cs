using Microsoft.Extensions.Options;
using Orchestrator.Storage;

namespace Orchestrator.Triggers;

/// <summary>
/// How many triggers of this silo fire at once. A fire that reads the database (a preparation, or a fire that was not
/// prepared) holds a connection meanwhile: <see cref="TriggerOptions.FireConcurrency"/> of them at once. A prepared
/// fire only writes (the trigger's compare-and-set and the job's insert, together in the group commit, which holds no
/// connection per write): one transaction's worth of them at once (<see cref="GroupCommit.MaxBatch"/>). More in flight
/// would fill no bigger commit; they would only lengthen the queue that every other write of the silo (a robot's
/// lease, a job's start) waits in behind them.
/// </summary>
public sealed class TriggerFireGate(IOptions<TriggerOptions> options)
{
    private readonly SemaphoreSlim _gate = new(options.Value.FireConcurrency);
    private readonly SemaphoreSlim _writes = new(GroupCommit.MaxBatch);

    /// <summary>A turn for a fire that reads.</summary>
    public Task<IDisposable> EnterAsync() => EnterAsync(_gate);

    /// <summary>A turn for a fire that only writes.</summary>
    public Task<IDisposable> EnterWritesAsync() => EnterAsync(_writes);

    private static async Task<IDisposable> EnterAsync(SemaphoreSlim gate)
    {
        await gate.WaitAsync();
        return new Release(gate);
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
