using Microsoft.Extensions.Logging;

namespace Orchestrator.Jobs;

/// <summary>
/// Cancels the waiting jobs aimed at a robot or a robot group that is deleted: no robot would ever take them, and they
/// would wait for ever, holding their process undeletable. Each is cancelled through its own grain, with a message that
/// says why.
/// </summary>
public sealed class AimedJobs(JobRecords records, IGrainFactory grains, ILogger<AimedJobs> logger)
{
    public Task CancelForDeletedRobotAsync(long accountId, long robotId) =>
        CancelAsync(accountId, robotId, null, "The robot it was aimed at was deleted.");

    public Task CancelForDeletedGroupAsync(long accountId, long groupId) =>
        CancelAsync(accountId, null, groupId, "The robot group it was aimed at was deleted.");

    private async Task CancelAsync(long accountId, long? robotId, long? groupId, string message)
    {
        foreach (var job in await records.WaitingAimedAtAsync(accountId, robotId, groupId))
        {
            try
            {
                await grains.GetGrain<IJobGrain>(job).TransitionAsync(accountId, JobStatus.Cancelled, message, null);
            }
            catch (Exception e)
            {
                // The delete stands; the job can still be cancelled by hand.
                logger.LogWarning(e, "Job {Job}, aimed at a deleted robot ({Robot}) or group ({Group}), could not be cancelled.", job, robotId, groupId);
            }
        }
    }
}
