using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;
using Orleans.Runtime;

namespace Orchestrator.Triggers;

/// <summary>
/// Brings enabled triggers back within seconds, instead of at their reminder's next tick: once this silo is
/// active, and whenever a silo of the cluster is declared dead (then only on the oldest live silo, so that the
/// survivors do not all do the same). Waking a trigger that already runs costs one call that changes nothing.
/// </summary>
public sealed class TriggerWakeup(
    TriggerRecords records, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<TriggerWakeup> logger)
    : RecoveryPass(membership, silo, logger)
{
    private const int PageSize = 500;
    private const int Concurrency = 64;

    /// <summary>Wakes every enabled trigger, a page at a time.</summary>
    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var woken = await VisitAllAsync(after => records.EnabledAsync(after, PageSize), t => t.Id, Concurrency, t => WakeAsync(t.Guid), cancellationToken);
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
        catch (Exception e) when (!IsStopping)
        {
            // Its reminder brings it back in any case.
            logger.LogWarning(e, "Trigger {Trigger} could not be woken.", trigger);
        }
    }
}
