namespace Orchestrator.Jobs;

/// <summary>Job status as API.md §2 defines it; the numbers are part of the contract.</summary>
[GenerateSerializer, Alias("orchestrator.job-status")]
public enum JobStatus
{
    Pending = 0,
    Running = 1,
    Successful = 2,
    Failed = 3,
    Stopping = 4,
    Stopped = 5,
    Aborting = 6,
    Aborted = 7,
    Cancelled = 8,
}
