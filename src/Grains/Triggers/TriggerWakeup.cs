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
    /// <summary>Wakes every enabled trigger, a page at a time; one that cannot be woken is brought back by its reminder.</summary>
    protected override Task RunPassAsync(CancellationToken cancellationToken) =>
        WakeAllAsync(records.EnabledAsync, t => t.Id, t => grains.GetGrain<ITriggerGrain>(t.Guid).WakeAsync(), "enabled triggers", cancellationToken);
}
