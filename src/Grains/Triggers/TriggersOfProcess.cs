using Microsoft.Extensions.Logging;

namespace Orchestrator.Triggers;

/// <summary>
/// Tells the enabled triggers of a process that its versions changed (a version added, deleted or moved to another
/// process, or the process deleted). A trigger reads its process's latest version ahead of an occurrence
/// (<see cref="TriggerOptions.PrepareAhead"/>); told, it reads it again at the occurrence, so a version added a
/// moment before an occurrence is the one that runs.
/// </summary>
public sealed class TriggersOfProcess(TriggerRecords records, IGrainFactory grains, ILogger<TriggersOfProcess> logger)
{
    public async Task VersionsChangedAsync(long processId)
    {
        try
        {
            var triggers = await records.EnabledOfProcessAsync(processId);
            await Task.WhenAll(triggers.Select(t => grains.GetGrain<ITriggerGrain>(t).ProcessChangedAsync()));
        }
        catch (Exception e)
        {
            // The change itself is committed: a trigger not told runs the version it read ahead, at most once.
            logger.LogWarning(e, "The triggers of process {Process} could not all be told that its versions changed.", processId);
        }
    }
}
