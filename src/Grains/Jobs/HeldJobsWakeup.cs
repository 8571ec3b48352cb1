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
    /// <summary>
    /// The robot first: once active it watches its liveness, and tells the job if it is found Offline. A pair that
    /// cannot be woken is tried again at the next start or silo death; a heartbeat of the robot or a call on the job
    /// brings it back too.
    /// </summary>
    protected override Task RunPassAsync(CancellationToken cancellationToken) =>
        WakeAllAsync(
            records.HeldAsync,
            j => j.Id,
            async j =>
            {
                await grains.GetGrain<IRobotGrain>(j.Robot).WakeAsync();
                await grains.GetGrain<IJobGrain>(j.Job).WakeAsync();
            },
            "jobs held by robots, and their robots",
            cancellationToken);
}
