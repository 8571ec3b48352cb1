using Orchestrator.Robots;

namespace Orchestrator.Jobs;

/// <inheritdoc cref="IJobDispatcherGrain"/>
/// <remarks>
/// Waiting jobs sit in one ordered set per target (each robot, each group, the account-wide "any robot" set), so a
/// robot asking for work looks only at the head of its own set, of each of its groups' sets and of the "any" set:
/// the cost does not grow with the number of waiting jobs or robots (it walks past jobs whose MinVersionToRun the
/// robot is below, and only those). Idle robots are kept in the order they became idle, overall and per group, so
/// a new job wakes the robot idle longest among those it suits (fairness among group members).
/// </remarks>
public sealed class JobDispatcherGrain(JobRecords jobs) : Grain, IJobDispatcherGrain
{
    private readonly Dictionary<Guid, PendingJob> _waiting = [];
    private readonly SortedSet<PendingJob> _forAny = new(DispatchOrder.Instance);
    private readonly Dictionary<long, SortedSet<PendingJob>> _forRobot = [];
    private readonly Dictionary<long, SortedSet<PendingJob>> _forGroup = [];

    private readonly Dictionary<long, IdleEntry> _idle = [];
    private readonly SortedSet<IdleEntry> _idleOrder = new(IdleOrder.Instance);
    private readonly Dictionary<long, SortedSet<IdleEntry>> _idleByGroup = [];
    private long _idleSeq;

    // MinVersionToRun of the processes that changed it while this dispatcher ran: a job enqueued by a grain that read
    // the process before the change is matched by the process's value, not its copy.
    private readonly Dictionary<long, decimal?> _minVersionOf = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Rebuilt from the indexed jobs table: every acknowledged waiting job is here again after any failure.
        foreach (var job in await jobs.WaitingAsync(this.GetPrimaryKeyLong()))
        {
            Add(job.ToPending());
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The idle robots live only here. Each is told to ask again, which brings the dispatcher back with them
        // registered, so a job created after an idle spell wakes a robot at once instead of after its idle recheck.
        foreach (var entry in _idle.Values)
        {
            GrainFactory.GetGrain<IRobotGrain>(entry.Robot.Guid).WakeAsync().Ignore();
        }

        return Task.CompletedTask;
    }

    public Task EnqueueAsync(PendingJob job)
    {
        if (job.ProcessId != 0 && _minVersionOf.TryGetValue(job.ProcessId, out var min))
        {
            job = job with { MinVersionToRun = min };
        }

        if (Add(job))
        {
            WakeRobotFor(job);
        }

        return Task.CompletedTask;
    }

    public Task EnqueueManyAsync(PendingJob[] jobs)
    {
        foreach (var job in jobs)
        {
            EnqueueAsync(job);
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(Guid job)
    {
        if (_waiting.Remove(job, out var pending))
        {
            SetOf(pending).Remove(pending);
        }

        return Task.CompletedTask;
    }

    public Task<PendingJob?> TakeNextAsync(IdleRobot robot)
    {
        ForgetIdle(robot.Id);
        PendingJob? best = null;
        Consider(_forRobot.GetValueOrDefault(robot.Id));
        foreach (var group in robot.Groups)
        {
            Consider(_forGroup.GetValueOrDefault(group));
        }

        Consider(_forAny);
        if (best is null)
        {
            var entry = new IdleEntry(++_idleSeq, robot);
            _idle[robot.Id] = entry;
            _idleOrder.Add(entry);
            foreach (var group in robot.Groups)
            {
                (_idleByGroup.TryGetValue(group, out var set) ? set : _idleByGroup[group] = new SortedSet<IdleEntry>(IdleOrder.Instance)).Add(entry);
            }

            return Task.FromResult<PendingJob?>(null);
        }

        _waiting.Remove(best.Guid);
        SetOf(best).Remove(best);
        return Task.FromResult<PendingJob?>(best);

        void Consider(SortedSet<PendingJob>? set)
        {
            if (set is null)
            {
                return;
            }

            foreach (var job in set)
            {
                if (best is not null && DispatchOrder.Instance.Compare(job, best) >= 0)
                {
                    return;
                }

                if (Qualifies(robot, job))
                {
                    best = job;
                    return;
                }
            }
        }
    }

    public Task RobotGoneAsync(long robotId)
    {
        ForgetIdle(robotId);
        return Task.CompletedTask;
    }

    public Task MinVersionChangedAsync(long processId, decimal? minVersionToRun)
    {
        _minVersionOf[processId] = minVersionToRun;

        // A rare change, and this account's waiting jobs only: a pass over them all is fine.
        foreach (var job in _waiting.Values.Where(j => j.ProcessId == processId && j.MinVersionToRun != minVersionToRun).ToList())
        {
            SetOf(job).Remove(job);
            var changed = job with { MinVersionToRun = minVersionToRun };
            _waiting[job.Guid] = changed;
            SetOf(changed).Add(changed);
            WakeRobotFor(changed);
        }

        return Task.CompletedTask;
    }

    private static bool Qualifies(IdleRobot robot, PendingJob job) =>
        job.MinVersionToRun is not { } min || robot.Version is { } version && version >= min;

    private bool Add(PendingJob job)
    {
        if (!_waiting.TryAdd(job.Guid, job))
        {
            return false;
        }

        SetOf(job).Add(job);
        return true;
    }

    private SortedSet<PendingJob> SetOf(PendingJob job)
    {
        if (job.TargetRobotId is { } robot)
        {
            return _forRobot.TryGetValue(robot, out var set) ? set : _forRobot[robot] = new SortedSet<PendingJob>(DispatchOrder.Instance);
        }

        if (job.TargetGroupId is { } group)
        {
            return _forGroup.TryGetValue(group, out var set) ? set : _forGroup[group] = new SortedSet<PendingJob>(DispatchOrder.Instance);
        }

        return _forAny;
    }

    /// <summary>Wakes the robot idle longest among those the job suits; it then asks for work and takes the best job for it.</summary>
    private void WakeRobotFor(PendingJob job)
    {
        IdleEntry? chosen = null;
        if (job.TargetRobotId is { } robotId)
        {
            chosen = _idle.TryGetValue(robotId, out var entry) && Qualifies(entry.Robot, job) ? entry : null;
        }
        else
        {
            var candidates = job.TargetGroupId is { } group ? _idleByGroup.GetValueOrDefault(group) : _idleOrder;
            chosen = candidates?.FirstOrDefault(e => Qualifies(e.Robot, job));
        }

        if (chosen is null)
        {
            return;
        }

        ForgetIdle(chosen.Robot.Id);

        // Not awaited: the dispatcher never waits on a robot, so no call cycle can run through it.
        GrainFactory.GetGrain<IRobotGrain>(chosen.Robot.Guid).WakeAsync().Ignore();
    }

    private void ForgetIdle(long robotId)
    {
        if (!_idle.Remove(robotId, out var entry))
        {
            return;
        }

        _idleOrder.Remove(entry);
        foreach (var group in entry.Robot.Groups)
        {
            if (_idleByGroup.TryGetValue(group, out var set))
            {
                set.Remove(entry);
                if (set.Count == 0)
                {
                    _idleByGroup.Remove(group);
                }
            }
        }
    }

    private sealed record IdleEntry(long Seq, IdleRobot Robot);

    private sealed class IdleOrder : IComparer<IdleEntry>
    {
        public static readonly IdleOrder Instance = new();

        public int Compare(IdleEntry? x, IdleEntry? y) => x!.Seq.CompareTo(y!.Seq);
    }

    /// <summary>Priority high first, then oldest (lowest id) first.</summary>
    private sealed class DispatchOrder : IComparer<PendingJob>
    {
        public static readonly DispatchOrder Instance = new();

        public int Compare(PendingJob? x, PendingJob? y)
        {
            var byPriority = y!.Priority.CompareTo(x!.Priority);
            return byPriority != 0 ? byPriority : x.Id.CompareTo(y.Id);
        }
    }
}
