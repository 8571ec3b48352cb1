namespace Orchestrator.Jobs;

/// <summary>
/// The job lifecycle of API.md §7 as an explicit transition table: each legal transition names the status it
/// leaves. Anything not listed is refused (409) and changes nothing. Terminal statuses release the robot's lease.
/// </summary>
public static class JobLifecycle
{
    private static readonly Dictionary<JobStatus, JobStatus[]> Legal = new()
    {
        [JobStatus.Pending] = [JobStatus.Running, JobStatus.Cancelled],
        [JobStatus.Running] = [JobStatus.Successful, JobStatus.Failed, JobStatus.Stopping, JobStatus.Aborting],
        [JobStatus.Stopping] = [JobStatus.Stopped, JobStatus.Aborting, JobStatus.Successful, JobStatus.Failed],
        [JobStatus.Aborting] = [JobStatus.Aborted, JobStatus.Successful, JobStatus.Failed],
    };

    public static bool IsLegal(JobStatus from, JobStatus to) => Legal.TryGetValue(from, out var next) && next.Contains(to);

    public static bool IsTerminal(JobStatus status) =>
        status is JobStatus.Successful or JobStatus.Failed or JobStatus.Stopped or JobStatus.Aborted or JobStatus.Cancelled;

    /// <summary>Statuses only the robot running the job reports (Running and the outcomes of a run).</summary>
    public static bool IsRobotReport(JobStatus to) =>
        to is JobStatus.Running or JobStatus.Successful or JobStatus.Failed or JobStatus.Stopped or JobStatus.Aborted;

    /// <summary>True while the job holds (or may hold) a robot: not yet ended.</summary>
    public static bool IsLive(JobStatus status) => !IsTerminal(status);
}
