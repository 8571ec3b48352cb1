namespace Orchestrator.Jobs;

/// <summary>
/// Told when a job reaches a terminal status, after the row says so. The seam for what other capabilities do when
/// a job ends (a queue with AutoChangeStatus failing the job's InProgress tasks, a continuous trigger starting the
/// next job). Registered in the silo's services; every registered handler is called, in order.
/// </summary>
public interface IJobEndedHandler
{
    Task JobEndedAsync(long accountId, long jobId, Guid jobGuid, JobStatus status);
}
