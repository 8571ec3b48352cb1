using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;
using Orchestrator.Robots;
using Orleans.Runtime;

namespace Orchestrator.Jobs;

/// <summary>
/// Brings back into memory the jobs robots hold (leased, running, stopping, aborting) and their robots, once this silo is
/// active and whenever a silo of the cluster is declared dead (then only on the oldest live silo). Their deadlines and
/// the robots' liveness are watched by their grains, which nothing else may call again: a robot that never returns
/// after a restart would otherwise hold its job forever, never found Offline, and a running job's StopAfter never come.
/// </summary>
public sealed class HeldJobsWakeup(
    JobRecords records, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<HeldJobsWakeup> logger)
    : RecoveryPass(membership, silo, logger)
{
    private const int PageSize = 500;
    private const int Concurrency = 64;

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var woken = await VisitAllAsync(after => records.HeldAsync(after, PageSize), j => j.Id, Concurrency, j => WakeAsync(j.Job, j.Robot), cancellationToken);
        if (woken > 0)
        {
            logger.LogInformation("Woke {Count} jobs held by robots, and their robots.", woken);
        }
    }

    private async Task WakeAsync(Guid job, Guid robot)
    {
        try
        {
            // The robot first: once active it watches its liveness, and tells the job if it is found Offline.
            await grains.GetGrain<IRobotGrain>(robot).WakeAsync();
            await grains.GetGrain<IJobGrain>(job).WakeAsync();
        }
        catch (Exception e) when (!IsStopping)
        {
            // The next start or silo death tries again; a heartbeat of the robot or a call on the job brings it back too.
            logger.LogWarning(e, "Job {Job} held by robot {Robot} could not be woken.", job, robot);
        }
    }
}
