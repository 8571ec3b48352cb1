using Orchestrator.Jobs;

namespace Orchestrator.Queues;

/// <summary>
/// AutoChangeStatus (API.md §8): when a job ends Failed, Stopped or Aborted (a lost robot's job ends Failed),
/// its InProgress tasks fail in every queue that asks for it, and retry where they may. Only the queues that hold
/// such a task are called, found through the index on the tasks' job; each decides by its own AutoChangeStatus.
/// </summary>
public sealed class QueueTasksOfEndedJob(TaskRecords tasks, IGrainFactory grains) : IJobEndedHandler
{
    public async Task JobEndedAsync(long accountId, long jobId, Guid jobGuid, JobStatus status)
    {
        if (status is not (JobStatus.Failed or JobStatus.Stopped or JobStatus.Aborted))
        {
            return;
        }

        foreach (var queue in await tasks.QueuesWithTasksOfJobAsync(jobGuid))
        {
            await grains.GetGrain<IQueueGrain>(queue).FailTasksOfJobAsync(jobGuid);
        }
    }
}
