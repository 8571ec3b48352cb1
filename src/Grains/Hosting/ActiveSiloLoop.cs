using Orleans.Runtime;

namespace Orchestrator.Hosting;

/// <summary>
/// Work that runs in the background while this silo is active: started once the silo is active (the schema is
/// installed and grains can be called), cancelled and awaited when the silo stops.
/// </summary>
public abstract class ActiveSiloLoop : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>True once the silo is stopping: a call that fails then is the stop, not something to report.</summary>
    protected bool IsStopping => _stopping.IsCancellationRequested;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    /// <summary>The work, until <paramref name="cancellationToken"/> says the silo is stopping.</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
