using Microsoft.Extensions.Logging;
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
    : ILifecycleParticipant<ISiloLifecycle>
{
    private const int PageSize = 500;
    private const int Concurrency = 64;

    // A pass that could not reach every marked job is repeated this long after, at most this many times in all.
    private const int MaxPasses = 60;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _watch;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JobEndRecovery), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    /// <summary>
    /// Passes over the jobs still marked until a pass reaches every one of them. A call can fail when the job's grain
    /// was on the silo that just died and the grain directory does not know it yet, or the database is busy for a
    /// moment; nothing else would call such a job again, so the pass is repeated.
    /// </summary>
    private async Task HandleUntilDoneAsync(CancellationToken cancellationToken)
    {
        for (var pass = 1; ; pass++)
        {
            bool done;
            try
            {
                done = await HandleAllAsync(cancellationToken) == 0;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reading the jobs whose end is still to handle failed (pass {Pass}).", pass);
                done = false;
            }

            if (done || pass == MaxPasses)
            {
                return;
            }

            await Task.Delay(RetryDelay, cancellationToken);
        }
    }

    /// <summary>Hands every job whose end is still to handle to its grain, a page at a time; answers how many calls failed.</summary>
    private async Task<int> HandleAllAsync(CancellationToken cancellationToken)
    {
        long after = 0;
        var handled = 0;
        var failed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await records.EndPendingAsync(after, PageSize);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var chunk in page.Chunk(Concurrency))
            {
                var answers = await Task.WhenAll(chunk.Select(j => HandleAsync(j.Guid)));
                failed += answers.Count(reached => !reached);
            }

            handled += page.Count;
            after = page[^1].Id;
        }

        if (handled > 0)
        {
            logger.LogInformation("Handed the end of {Count} jobs that ended before a crash to their grains; {Failed} could not be reached.", handled, failed);
        }

        return failed;
    }

    private async Task<bool> HandleAsync(Guid job)
    {
        try
        {
            await grains.GetGrain<IJobGrain>(job).HandleEndAsync();
            return true;
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            // The job keeps its mark: the next pass tries again, and so does the next start or silo death.
            logger.LogWarning(e, "The end of job {Job} could not be handled.", job);
            return false;
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
            await HandleUntilDoneAsync(cancellationToken);
            var dead = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                var oldest = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).MinBy(m => m.SiloAddress.Generation);
                if (newlyDead.Count > 0 && oldest?.SiloAddress == silo.SiloAddress)
                {
                    await HandleUntilDoneAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Recovering unhandled job ends stopped; each job's grain handles its own end when it next activates.");
        }
    }
}
