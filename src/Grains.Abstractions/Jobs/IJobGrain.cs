using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Jobs;

/// <summary>
/// One job: the only writer of its row once it exists (a trigger's job is inserted by the trigger) and the keeper of
/// its lifecycle (an explicit transition table, see <c>JobLifecycle</c>). Keyed by the job's GUID; a job of another
/// account answers as if it did not exist.
/// </summary>
[Alias("orchestrator.job")]
public interface IJobGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(JobDraft draft);

    [Alias("get"), ReadOnly]
    Task<JobInfo?> GetAsync(long accountId);

    /// <summary>
    /// A transition asked through the API; <paramref name="robot"/> names the robot that reports it, when it says.
    /// An illegal one, or a report from a robot that does not hold the job, is <see cref="WriteResult.Conflict"/>
    /// and changes nothing; a robot reporting Running for a job it does not hold is also sent AbortJob.
    /// </summary>
    [Alias("transition")]
    Task<WriteResult> TransitionAsync(long accountId, JobStatus to, string? message, Guid? robot);

    /// <summary>
    /// A message alone (an update without a status): the job's message from now on, its status unchanged. Only a live
    /// job takes one (a finished job's message says how it ended), and a robot that says who it is must hold the job:
    /// otherwise <see cref="WriteResult.Conflict"/>.
    /// </summary>
    [Alias("note")]
    Task<WriteResult> NoteAsync(long accountId, string message, Guid? robot);

    /// <summary>Cancels a pending job, then soft-deletes it; a job still running is a conflict.</summary>
    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);

    /// <summary>
    /// Called by a robot grain that has granted itself this job's lease: the StartJob fields when the job is still
    /// waiting and now leased to that robot; null when it is not (cancelled, deleted, leased already), and the robot drops the lease.
    /// </summary>
    [Alias("assign")]
    Task<JobStart?> AssignAsync(long robotId, Guid robotGuid);

    /// <summary>
    /// Whether <paramref name="robot"/> holds this job's lease and the job has not ended: how a robot grain checks,
    /// once after it is activated and then every idle recheck, the lease it holds (a crash may have come between its
    /// lease and the job's assignment, or between the job's end and its release of the lease).
    /// It only reads, and interleaves, so it answers even while this job waits on that robot.
    /// </summary>
    [Alias("held-by"), ReadOnly, AlwaysInterleave]
    Task<bool> HeldByAsync(Guid robot);

    /// <summary>Brings the job into memory, where it watches its deadlines (start timeout, StopAfter, abort grace).</summary>
    [Alias("wake")]
    Task WakeAsync();

    /// <summary>The robot holding this job went offline: the job ends Failed and says so.</summary>
    [Alias("robot-lost")]
    Task RobotLostAsync(Guid robot);

    /// <summary>The robot holding this running job reports (RunningJobGUID) that it runs none: the job ends Failed.</summary>
    [Alias("robot-reports-none")]
    Task RobotReportsNoneAsync(Guid robot);

    /// <summary>
    /// Does what the job's end entails (the robot's lease released, every ended-job handler told) if its row says it
    /// is still to do: a crash came between the commit of the terminal status and the end's handling. Nothing otherwise.
    /// </summary>
    [Alias("handle-end")]
    Task HandleEndAsync();
}
