using Microsoft.Extensions.Options;

namespace Orchestrator.Triggers;

/// <summary>
/// How many triggers of this silo fire at once (<see cref="TriggerOptions.FireConcurrency"/>). A fire's writes (the
/// trigger's compare-and-set, the job's insert) go through the group commit and share transactions, so the more fires
/// in flight, the more share each commit; the gate only bounds how many read the database at once when thousands of
/// triggers are due in the same second (each read holds a connection).
/// </summary>
public sealed class TriggerFireGate(IOptions<TriggerOptions> options)
{
    private readonly SemaphoreSlim _gate = new(options.Value.FireConcurrency);

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
