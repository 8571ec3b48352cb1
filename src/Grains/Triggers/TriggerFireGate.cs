using Microsoft.Extensions.Options;

namespace Orchestrator.Triggers;

/// <summary>
/// How many triggers of this silo read the database for a fire at once (<see cref="TriggerOptions.FireConcurrency"/>):
/// a preparation, or a fire that was not prepared (each read holds a connection). A prepared fire only writes (the
/// trigger's compare-and-set, the job's insert: both in the group commit, which holds no connection per write), so it
/// does not wait here, and the fires of one second share as few commits as the group commit can make.
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
