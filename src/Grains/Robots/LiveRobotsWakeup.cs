using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;
using Orleans.Runtime;

namespace Orchestrator.Robots;

/// <summary>
/// Brings back into memory the robots whose records show them live, once this silo is active and whenever a silo of the
/// cluster is declared dead (then only on the oldest live silo). A robot's grain records its Unresponsive and Offline;
/// one that fell silent while no silo ran it is never called again, and its record would show it Available (in the list
/// and its status filter) until the list's own rule caught up. Woken, each records what its silence makes it now, and
/// watches the rest. One that cannot be woken comes back with its next heartbeat, and the list shows it Offline once it
/// is long silent.
/// </summary>
public sealed class LiveRobotsWakeup(
    RobotRecords records, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<LiveRobotsWakeup> logger)
    : RecoveryPass(membership, silo, logger)
{
    protected override Task RunPassAsync(CancellationToken cancellationToken) =>
        WakeAllAsync(records.ShownLiveAsync, r => r.Id, r => grains.GetGrain<IRobotGrain>(r.Robot).WakeAsync(), "robots shown live", cancellationToken);
}
