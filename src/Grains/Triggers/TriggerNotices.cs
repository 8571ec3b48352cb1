using Microsoft.Extensions.Logging;

namespace Orchestrator.Triggers;

/// <summary>
/// Tells enabled triggers that something they read changed, so that they act on it at once rather than at their next
/// wake (a minute at most): a process's versions (a version added, deleted or moved to another process, or the process
/// deleted), the robot or group they are aimed at (deleted), or a Calendar asset's dates.
/// </summary>
public sealed class TriggerNotices(TriggerRecords records, IGrainFactory grains, ILogger<TriggerNotices> logger)
{
    /// <summary>
    /// A trigger reads its process's latest version ahead of an occurrence (<see cref="TriggerOptions.PrepareAhead"/>);
    /// told, it reads it again, so a version added a moment before an occurrence is the one that runs, and a continuous
    /// trigger that waited for a version starts its job.
    /// </summary>
    public async Task VersionsChangedAsync(long processId)
    {
        try
        {
            var triggers = await records.EnabledOfProcessAsync(processId);
            await Task.WhenAll(triggers.Select(t => grains.GetGrain<ITriggerGrain>(t).NextJobChangedAsync()));
        }
        catch (Exception e)
        {
            // The change itself is committed: a trigger not told runs the version it read ahead, at most once.
            logger.LogWarning(e, "The triggers of process {Process} could not all be told that its versions changed.", processId);
        }
    }

    /// <summary>
    /// A robot (<paramref name="robotId"/>) or robot group (<paramref name="groupId"/>) was deleted: the triggers aimed at
    /// it skip their occurrences from now on, a fire prepared ahead included. Awaited before the jobs waiting for the
    /// target are cancelled: a fire under way when the target was deleted has made its job by the time this returns, so
    /// the cancellation finds it.
    /// </summary>
    public async Task TargetDeletedAsync(long? robotId, long? groupId)
    {
        try
        {
            var triggers = await records.EnabledAimedAtAsync(robotId, groupId);
            await Task.WhenAll(triggers.Select(t => grains.GetGrain<ITriggerGrain>(t).NextJobChangedAsync()));
        }
        catch (Exception e)
        {
            // The delete itself is committed: a trigger not told finds its target gone at its next unprepared fire.
            logger.LogWarning(e, "The triggers aimed at robot {Robot} or group {Group} could not all be told it was deleted.", robotId, groupId);
        }
    }

    /// <summary>A Calendar asset was changed, retyped or deleted: its triggers plan with its dates from now on.</summary>
    public async Task CalendarChangedAsync(long assetId)
    {
        try
        {
            var triggers = await records.EnabledOfCalendarAsync(assetId);
            await Task.WhenAll(triggers.Select(t => grains.GetGrain<ITriggerGrain>(t).CalendarChangedAsync()));
        }
        catch (Exception e)
        {
            // The change itself is committed: a trigger not told reads the calendar again at its next wake.
            logger.LogWarning(e, "The triggers of calendar {Asset} could not all be told that its dates changed.", assetId);
        }
    }
}
