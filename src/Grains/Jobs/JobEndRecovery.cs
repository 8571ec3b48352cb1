using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;
using Orleans.Runtime;

namespace Orchestrator.Jobs;

/// <summary>
/// Handles the ends that a crash left unhandled: a job's terminal status is committed together with a mark that its
/// end is still to handle (the robot's lease, the ended-job handlers), and the mark is cleared once that is done. Jobs
/// still marked are handed to their grains once this silo is active, and whenever a silo of the cluster is declared
/// dead (then only on the oldest live silo, so that the survivors do not all do the same). A job whose end is being
/// handled right now answers once it is done, having nothing left to do.
/// </summary>
public sealed class JobEndRecovery(
    JobRecords records, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<JobEndRecovery> logger)
    : RecoveryPass(membership, silo, logger)
{
    private const int PageSize = 500;
    private const int Concurrency = 64;

    // A pass that could not reach every marked job is repeated this long after, at most this many times in all.
    private const int MaxPasses = 60;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Passes over the jobs still marked until a pass reaches every one of them. A call can fail when the job's grain
    /// was on the silo that just died and the grain directory does not know it yet, or the database is busy for a
    /// moment; nothing else would call such a job again, so the pass is repeated.
    /// </summary>
    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        for (var pass = 1; ; pass++)
        {
            var failed = 0;
            try
            {
                var handed = await VisitAllAsync(
                    after => records.EndPendingAsync(after, PageSize),
                    j => j.Id,
                    Concurrency,
                    async j =>
                    {
                        if (!await HandleAsync(j.Guid))
                        {
                            Interlocked.Increment(ref failed);
                        }
                    },
                    cancellationToken);
                if (handed > 0)
                {
                    logger.LogInformation("Handed the end of {Count} jobs that ended before a crash to their grains; {Failed} could not be reached.", handed, failed);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reading the jobs whose end is still to handle failed (pass {Pass}).", pass);
                failed = -1;
            }

            if (failed == 0 || pass == MaxPasses)
            {
                return;
            }

            await Task.Delay(RetryDelay, cancellationToken);
        }
    }

    private async Task<bool> HandleAsync(Guid job)
    {
        try
        {
            await grains.GetGrain<IJobGrain>(job).HandleEndAsync();
            return true;
        }
        catch (Exception e) when (!IsStopping)
        {
            // The job keeps its mark: the next pass tries again, and so does the next start or silo death.
            logger.LogWarning(e, "The end of job {Job} could not be handled.", job);
            return false;
        }
    }
}
