using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Orchestrator.Triggers;

/// <summary>
/// Brings enabled triggers back within seconds, instead of at their reminder's next tick: once this silo is
/// active, and whenever a silo of the cluster is declared dead (then only on the oldest live silo, so that the
/// survivors do not all do the same). Waking a trigger that already runs costs one call that changes nothing.
/// </summary>
public sealed class TriggerWakeup(
    TriggerRecords records, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<TriggerWakeup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private const int PageSize = 500;
    private const int Concurrency = 64;

    private readonly CancellationTokenSource _stopping = new();
    private Task? _watch;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TriggerWakeup), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    /// <summary>Wakes every enabled trigger, a page at a time.</summary>
    public async Task WakeAllAsync(CancellationToken cancellationToken)
    {
        long after = 0;
        var woken = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await records.EnabledAsync(after, PageSize);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var chunk in page.Chunk(Concurrency))
            {
                await Task.WhenAll(chunk.Select(t => WakeAsync(t.Guid)));
            }

            woken += page.Count;
            after = page[^1].Id;
        }

        if (woken > 0)
        {
            logger.LogInformation("Woke {Count} enabled triggers.", woken);
        }
    }

    private async Task WakeAsync(Guid trigger)
    {
        try
        {
            await grains.GetGrain<ITriggerGrain>(trigger).WakeAsync();
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            // Its reminder brings it back in any case.
            logger.LogWarning(e, "Trigger {Trigger} could not be woken.", trigger);
        }
    }

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _watch = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_watch is not null)
        {
            await _watch.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WakeAllAsync(cancellationToken);
            var dead = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                var oldest = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).MinBy(m => m.SiloAddress.Generation);
                if (newlyDead.Count > 0 && oldest?.SiloAddress == silo.SiloAddress)
                {
                    await WakeAllAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Waking triggers stopped; their reminders bring them back.");
        }
    }
}
