namespace Orchestrator.Jobs;

/// <summary>
/// One account's dispatcher: the waiting jobs, indexed by target and ordered by priority then age, and the idle
/// robots, indexed by group. Keyed by the account's numeric id. It only matches: the robot grain grants the lease.
/// It calls nobody and awaits nobody (a robot it picks is woken without waiting), so no call cycle runs through it.
/// Its state is rebuilt from the jobs table on activation, so losing it loses nothing acknowledged.
/// </summary>
[Alias("orchestrator.job-dispatcher")]
public interface IJobDispatcherGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a waiting job and wakes an idle robot it suits, if one is known.</summary>
    [Alias("enqueue")]
    Task EnqueueAsync(PendingJob job);

    /// <summary>Adds waiting jobs, in order, each as <see cref="EnqueueAsync"/> does.</summary>
    [Alias("enqueue-many")]
    Task EnqueueManyAsync(PendingJob[] jobs);

    /// <summary>Removes a job that no longer waits (cancelled, deleted, leased).</summary>
    [Alias("remove")]
    Task RemoveAsync(Guid job);

    /// <summary>
    /// The first waiting job <paramref name="robot"/> qualifies for, taken off the waiting list (the caller puts it
    /// back if the lease fails); null when none, and the robot is then remembered as idle.
    /// </summary>
    [Alias("take-next")]
    Task<PendingJob?> TakeNextAsync(IdleRobot robot);

    /// <summary>Forgets an idle robot (leased elsewhere, disabled, offline, deleted).</summary>
    [Alias("robot-gone")]
    Task RobotGoneAsync(long robotId);

    /// <summary>
    /// A process's MinVersionToRun changed: its waiting jobs are matched by the new one from now on (a robot then too old
    /// is passed over, one that now qualifies is woken), and so are its jobs enqueued later by grains that read the old.
    /// </summary>
    [Alias("min-version-changed")]
    Task MinVersionChangedAsync(long processId, decimal? minVersionToRun);
}
