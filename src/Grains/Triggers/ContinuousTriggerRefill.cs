using Orchestrator.Jobs;

namespace Orchestrator.Triggers;

/// <summary>
/// A continuous trigger starts its next job as soon as one of its jobs ends (API.md §10): the trigger is woken,
/// not awaited, so that a job's end never waits on a trigger.
/// </summary>
public sealed class ContinuousTriggerRefill(TriggerRecords triggers, IGrainFactory grains) : IJobEndedHandler
{
    public async Task JobEndedAsync(long accountId, long jobId, Guid jobGuid, JobStatus status)
    {
        if (await triggers.ContinuousTriggerOfJobAsync(jobId) is { } trigger)
        {
            grains.GetGrain<ITriggerGrain>(trigger).WakeAsync().Ignore();
        }
    }
}
