using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Orchestrator.Hosting;

/// <summary>
/// A pass over what a crash may have left to do, run once this silo is active and again whenever a silo of the
/// cluster is declared dead (then only on the oldest live silo, so that the survivors do not all do the same).
/// A kind of recovery says what its pass does; this class says when it runs.
/// </summary>
public abstract class RecoveryPass(IClusterMembershipService membership, ILocalSiloDetails silo, ILogger logger) : ActiveSiloLoop
{
    /// <summary>One pass over everything this recovery looks after.</summary>
    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    /// <summary>Visits every item a paged query answers, <paramref name="concurrency"/> at a time; a page starts after the last id of the one before.</summary>
    protected static async Task<int> VisitAllAsync<T>(
        Func<long, Task<List<T>>> page, Func<T, long> id, int concurrency, Func<T, Task> visit, CancellationToken cancellationToken)
    {
        long after = 0;
        var visited = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var items = await page(after);
            if (items.Count == 0)
            {
                break;
            }

            foreach (var chunk in items.Chunk(concurrency))
            {
                await Task.WhenAll(chunk.Select(visit));
            }

            visited += items.Count;
            after = id(items[^1]);
        }

        return visited;
    }

    /// <summary>
    /// Wakes the grains of every item a paged query answers (500 a page, 64 at a time) and logs how many were woken as
    /// <paramref name="what"/>. A grain that cannot be woken is logged and left: each kind says, where it wakes them,
    /// what brings such a grain back anyway.
    /// </summary>
    protected async Task WakeAllAsync<T>(
        Func<long, int, Task<List<T>>> page, Func<T, long> id, Func<T, Task> wake, string what, CancellationToken cancellationToken)
    {
        const int PageSize = 500;
        const int Concurrency = 64;
        var woken = await VisitAllAsync(after => page(after, PageSize), id, Concurrency, item => WakeOneAsync(item, wake, what), cancellationToken);
        if (woken > 0)
        {
            logger.LogInformation("Woke {Count} {What}.", woken, what);
        }
    }

    private async Task WakeOneAsync<T>(T item, Func<T, Task> wake, string what)
    {
        try
        {
            await wake(item);
        }
        catch (Exception e) when (!IsStopping)
        {
            logger.LogWarning(e, "One of the {What} could not be woken: {Item}.", what, item);
        }
    }

    protected sealed override async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunPassAsync(cancellationToken);
            var dead = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                var oldest = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).MinBy(m => m.SiloAddress.Generation);
                if (newlyDead.Count > 0 && oldest?.SiloAddress == silo.SiloAddress)
                {
                    await RunPassAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Recovery} stopped watching for dead silos; what it looks after is picked up at the next start.", GetType().Name);
        }
    }
}
