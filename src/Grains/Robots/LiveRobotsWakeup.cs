using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;
using Orleans.Runtime;

namespace Orchestrator.Robots;

/// <summary>
/// Brings back into memory the robots whose records show them live, once this silo is active and whenever a silo of the
/// cluster is declared dead (then only on the oldest live silo). A robot's grain records its Unresponsive and Offline;
/// one that fell silent while no silo ran it is never called again, and its record would show it Available (in the list
/// and its status filter) until the list's own rule caught up. Woken, each records what its silence makes it now, and
/// watches the rest.
/// </summary>
public sealed class LiveRobotsWakeup(
    RobotRecords records, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<LiveRobotsWakeup> logger)
    : RecoveryPass(membership, silo, logger)
{
    private const int PageSize = 500;
    private const int Concurrency = 64;

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var woken = await VisitAllAsync(after => records.ShownLiveAsync(after, PageSize), r => r.Id, Concurrency, r => WakeAsync(r.Robot), cancellationToken);
        if (woken > 0)
        {
            logger.LogInformation("Woke {Count} robots shown live.", woken);
        }
    }

    private async Task WakeAsync(Guid robot)
    {
        try
        {
            await grains.GetGrain<IRobotGrain>(robot).WakeAsync();
        }
        catch (Exception e) when (!IsStopping)
        {
            // Its next heartbeat brings it back, and the list's rule shows it Offline once it is long silent.
            logger.LogWarning(e, "Robot {Robot} could not be woken.", robot);
        }
    }
}
