using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.Files;

/// <summary>
/// Removes stored bytes that no record refers to. A process version's new file is committed before the version's
/// grain writes the record that points at it, and the file it replaced is removed after that write: a crash between
/// the two leaves bytes behind that nothing can reach. Every silo sweeps once it is active and then every hour;
/// bytes younger than <see cref="OrchestratorOptions.OrphanFileGrace"/> are left alone, since their record may still
/// be on its way. A sweep that runs on two silos at once deletes each row once.
/// </summary>
public sealed class OrphanFileSweep(OrchestratorDatabase database, OrchestratorClock clock, IOptions<OrchestratorOptions> options, ILogger<OrphanFileSweep> logger)
    : ActiveSiloLoop
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // Old orphans never gain a reference: a record is only ever pointed at bytes stored for it just before.
    private const string SweepSql =
        """
        DELETE FROM file_blobs
        WHERE created < @cutoff
          AND NOT EXISTS (SELECT 1 FROM process_versions v WHERE v.file_blob_id = file_blobs.id)
          AND NOT EXISTS (SELECT 1 FROM files f WHERE f.file_blob_id = file_blobs.id)
        """;

    /// <summary>Deletes the stored bytes older than the grace that no record refers to; answers how many.</summary>
    public async Task<int> SweepAsync()
    {
        var removed = await database.ExecuteAsync(SweepSql, ("@cutoff", clock.Now - options.Value.OrphanFileGrace));
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} stored files that no record refers to.", removed);
        }

        return removed;
    }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, clock.Time);
        do
        {
            try
            {
                await SweepAsync();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing is lost by a sweep that fails: the bytes are still unreachable at the next one.
                logger.LogWarning(e, "The sweep of stored files that no record refers to failed; it runs again in {Interval}.", Interval);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
