using System.Globalization;
using Microsoft.Extensions.Options;
using Orchestrator.Assets;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Records;
using Orchestrator.Triggers;

namespace Orchestrator.Robots;

/// <inheritdoc cref="IRobotGrain"/>
public sealed class RobotGrain(
    [PersistentState("robot", OrchestratorStorageNames.GrainState)] IPersistentState<RobotCommandQueue> commands,
    RobotRecords records,
    RobotHeartbeatWriter heartbeats,
    IOptions<RobotOptions> options,
    IOptions<JobOptions> jobOptions,
    AimedJobs aimedJobs,
    TriggerNotices triggers,
    OrchestratorClock clock) : RecordGrain<RobotRecord>(records, clock), IRobotGrain
{
    private readonly RobotOptions _options = options.Value;
    private readonly JobOptions _jobOptions = jobOptions.Value;

    // When this robot last asked its dispatcher for work; an idle robot asks again at least every IdleRecheck.
    private DateTimeOffset? _lastPull;

    // When the lease was last checked with its job (or granted); null when it has not been since this activation.
    private DateTimeOffset? _leaseCheckedAt;

    // The groups this robot belongs to, read once and dropped when its membership changes.
    private IReadOnlyList<long>? _groups;

    // The exact time of the last heartbeat lives here; the record gets it at most every persist interval.
    private DateTimeOffset? _lastHeartbeat;
    private int _waitingPolls;
    private TaskCompletionSource? _commandQueued;
    private IGrainTimer? _livenessTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        _lastHeartbeat = Record?.LastHeartbeatAt;

        // Fallen silent while no grain watched it (its silo stopped or died): the record still shows it live.
        if (Record is { Disabled: false, Status: not RobotStatus.Offline } shown && commands.State.LeasedJob is null
            && CurrentLiveness(Clock.Now) == RobotStatus.Offline)
        {
            await SaveLiveness(shown, RobotStatus.Offline, Clock.Now);
        }

        // An offline robot that still holds a lease has not yet heard its job acknowledge the loss: it tells it again.
        if (Record is not null && (CurrentLiveness(Clock.Now) != RobotStatus.Offline || commands.State.LeasedJob is not null))
        {
            StartLivenessTimer();
        }

        // A crash between a job assigning itself to this robot and the robot taking the lease leaves a job that names
        // this robot and that no grain watches. Brought into memory, it watches its start timeout and waits again.
        // Not awaited: a job may be calling this robot.
        if (Record is not null)
        {
            foreach (var job in await records.UnstartedJobsAsync(Record.Id))
            {
                if (job != commands.State.LeasedJob)
                {
                    GrainFactory.GetGrain<IJobGrain>(job).HeldByAsync(Record.Guid).Ignore();
                }
            }
        }
    }

    public Task<Created> CreateAsync(RobotDraft draft)
    {
        var now = Clock.Now;
        return InsertAsync(new RobotRecord(
            0, this.GetPrimaryKey(), draft.AccountId, draft.Name, draft.Description, string.Empty, string.Empty,
            string.Empty, string.Empty, 0, string.Empty, RobotStatus.Offline, false, null, now, now));
    }

    public Task<RobotInfo?> GetAsync(long accountId) =>
        Task.FromResult(IsOwnedBy(accountId) ? ToInfo(Record, Clock.Now) : null);

    public async Task<WriteResult> UpdateAsync(long accountId, RobotChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var wasDisabled = Record.Disabled;
        var result = await SaveAsync(Record with
        {
            Name = change.Name ?? Record.Name,
            Description = change.Description ?? Record.Description,
            Disabled = change.Disabled ?? Record.Disabled,
            UpdatedAt = Clock.Now,
        });
        if (result == WriteResult.Done && Record.Disabled != wasDisabled)
        {
            if (Record.Disabled)
            {
                await Dispatcher.RobotGoneAsync(Record.Id);
            }
            else
            {
                await PullAsync();
            }
        }

        return result;
    }

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (IsOwnedBy(accountId) && commands.State.LeasedJob is not null)
        {
            // A robot holding a job is not deleted under it: the job must end (or be stopped) first.
            return WriteResult.Conflict;
        }

        var dispatcher = Record is null ? null : Dispatcher;
        var robotId = Record?.Id ?? 0;
        if (await base.DeleteAsync(accountId) != WriteResult.Done)
        {
            return WriteResult.NotFound;
        }

        await dispatcher!.RobotGoneAsync(robotId);
        await GrainFactory.GetGrain<IAccountAssetsGrain>(accountId).ForgetRobotAsync(robotId);
        await triggers.TargetDeletedAsync(robotId, null);
        await aimedJobs.CancelForDeletedRobotAsync(accountId, robotId);

        if (commands.RecordExists)
        {
            await commands.ClearStateAsync();
        }

        // Wake any waiting long-poll: it ends, and its heartbeat answers that the robot is gone.
        _commandQueued?.TrySetResult();
        _commandQueued = null;
        _livenessTimer?.Dispose();
        _livenessTimer = null;
        return WriteResult.Done;
    }

    public async Task<HeartbeatReply?> HeartbeatAsync(long accountId, HeartbeatReport report)
    {
        if (!IsOwnedBy(accountId))
        {
            return null;
        }

        var now = Clock.Now;
        _lastHeartbeat = now;
        var status = CurrentLiveness(now);
        var record = Record with
        {
            Machine = report.Machine ?? Record.Machine,
            IP = report.IP ?? Record.IP,
            MAC = report.MAC ?? Record.MAC,
            Version = report.Version ?? Record.Version,
        };

        // A heartbeat is a memory write. The record is written only when what it shows would change:
        // the status, what the robot reports about itself, or a heartbeat time grown older than the persist
        // interval. That last one, the only write of a steady heartbeat, shares its commit with other robots'.
        var stale = Record.LastHeartbeatAt is not { } persisted || now - persisted >= _options.HeartbeatPersistInterval;
        if (record.Version != Record.Version)
        {
            // The dispatcher holds this robot as idle with the version it last offered: a robot that was too old for a
            // waiting job, and has been upgraded, asks again now rather than at the next idle recheck.
            _lastPull = null;
        }

        if (status != Record.Status || record != Record)
        {
            await SaveLiveness(record, status, now);
        }
        else if (stale)
        {
            await heartbeats.WriteAsync(Record.Id, now);
            Record = Record with { LastHeartbeatAt = now };
        }

        StartLivenessTimer();
        // A stored lease is checked with its job once after activation and again every idle recheck: the job's release
        // of it may have been lost in a crash.
        if (commands.State.LeasedJob is { } stored && (_leaseCheckedAt is not { } checkedAt || now - checkedAt >= _jobOptions.IdleRecheck))
        {
            _leaseCheckedAt = now;
            if (!await GrainFactory.GetGrain<IJobGrain>(stored).HeldByAsync(Record.Guid))
            {
                await SaveLease(null);
            }
        }

        if (report.RunningJob is { } running)
        {
            await Reconcile(running.Job);
        }

        if (commands.State.LeasedJob is null && (_lastPull is not { } pulled || now - pulled >= _jobOptions.IdleRecheck))
        {
            await PullAsync();
        }

        var delivered = report.Ack is { } ack ? await Acknowledge(ack) : await TakeCommands();
        return new HeartbeatReply(StatusOf(Record, now), delivered);
    }

    public async Task<bool> WaitForCommandsAsync(long accountId, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!IsOwnedBy(accountId))
        {
            return false;
        }

        if (commands.State.Pending.Count == 0 && wait > TimeSpan.Zero)
        {
            var queued = _commandQueued ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _waitingPolls++;
            try
            {
                await Task.WhenAny(queued.Task, Task.Delay(wait, stopWaiting.Token));
            }
            finally
            {
                stopWaiting.Cancel();
                _waitingPolls--;

                // A robot that held its long-poll open to the end was alive all along; one that hung up was not.
                if (!cancellationToken.IsCancellationRequested)
                {
                    _lastHeartbeat = Clock.Now;
                }
            }
        }

        return Record is not null && commands.State.Pending.Count > 0;
    }

    public async Task<WriteResult> EnqueueCommandAsync(RobotCommand command)
    {
        if (Record is null)
        {
            return WriteResult.NotFound;
        }

        var seq = commands.State.LastSeq + 1;
        await SaveCommands([.. commands.State.Pending, command with { Seq = seq }], seq);
        var waiting = _commandQueued;
        _commandQueued = null;
        waiting?.TrySetResult();
        return WriteResult.Done;
    }

    public Task WakeAsync() => PullAsync();

    public async Task GroupsChangedAsync()
    {
        _groups = null;
        if (Record is null)
        {
            return;
        }

        // The dispatcher knows this robot, if idle, under its old groups: it asks again under the new ones, once this
        // call is answered (the group waits on it; the pull may wait on jobs).
        await Dispatcher.RobotGoneAsync(Record.Id);
        this.AsReference<IRobotGrain>().WakeAsync().Ignore();
    }

    public async Task ReleaseLeaseAsync(Guid job)
    {
        if (commands.State.LeasedJob != job)
        {
            return;
        }

        // Its StartJob, not yet acknowledged (a short job can end before the robot's next Ack), goes with the lease, in
        // the same write: the job may be another robot's by the next heartbeat, or cancelled, and this robot must not
        // start it then.
        await SaveLease(null, commands.State.Pending.Exists(c => IsStartOf(c, job)) ? commands.State.Pending.Where(c => !IsStartOf(c, job)).ToList() : null);

        // Free again: look for the next job once this call is answered (the job that released us is still in its turn).
        this.AsReference<IRobotGrain>().WakeAsync().Ignore();
    }

    public async Task<WriteResult> ReturnCommandsAsync(long accountId, IReadOnlyList<RobotCommand> undelivered)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var returned = undelivered.Where(c => commands.State.Pending.All(p => p.Seq != c.Seq));
        await SaveCommands([.. returned, .. commands.State.Pending]);
        return WriteResult.Done;
    }

    /// <summary>The status heartbeats and leases give, before the operator's Disabled switch is applied.</summary>
    private RobotStatus CurrentLiveness(DateTimeOffset now) =>
        RobotLiveness.Derive(false, leased: commands.State.LeasedJob is not null, _waitingPolls > 0 ? now : _lastHeartbeat, now, _options);

    private IJobDispatcherGrain Dispatcher => GrainFactory.GetGrain<IJobDispatcherGrain>(Record!.AccountId);

    /// <summary>
    /// Takes the best waiting job this robot qualifies for, if it is free to: not disabled, heartbeating, holding no
    /// lease. The job is asked to assign itself first (one that is no longer waiting answers null, and the next is
    /// tried); then the lease and the StartJob command are written together, and the StartJob wakes a long-poll.
    /// </summary>
    private async Task PullAsync()
    {
        if (Record is null || Record.Disabled || commands.State.LeasedJob is not null)
        {
            return;
        }

        var now = Clock.Now;
        if (CurrentLiveness(now) != RobotStatus.Available)
        {
            return;
        }

        _lastPull = now;
        var version = VersionNumber(Record.Version);
        _groups ??= await records.GroupIdsAsync(Record.Id);
        var idle = new IdleRobot(Record.Id, Record.Guid, _groups, version);
        var dispatcher = Dispatcher;
        while (await dispatcher.TakeNextAsync(idle) is { } job)
        {
            JobStart? start;
            try
            {
                start = await GrainFactory.GetGrain<IJobGrain>(job.Guid).AssignAsync(Record.Id, Record.Guid);
            }
            catch
            {
                // The job may or may not have taken this robot: if it did, its start timeout puts it back.
                await dispatcher.EnqueueAsync(job);
                throw;
            }

            if (start is null)
            {
                continue;
            }

            await TakeLeaseAsync(job.Guid, new RobotCommand(
                "StartJob", start.JobGuid, start.ProcessVersionGuid, start.ProcessFileName, start.Parameters, start.StopAfter));
            return;
        }
    }

    /// <summary>
    /// Takes the lease of a job that has assigned itself to this robot and queues its StartJob, in one write. Until it
    /// is written the robot has been told nothing; a crash before leaves a job its robot never heard of, which its
    /// start timeout returns to the waiting.
    /// </summary>
    private async Task TakeLeaseAsync(Guid job, RobotCommand start)
    {
        var previous = commands.State.LeasedJob;
        commands.State.LeasedJob = job;
        try
        {
            await EnqueueCommandAsync(start);
        }
        catch
        {
            commands.State.LeasedJob = previous;
            throw;
        }

        _leaseCheckedAt = Clock.Now;
    }

    /// <summary>
    /// Compares what the robot says it runs with its lease: a job it runs that it does not hold is aborted; a lease on
    /// a job it says it does not run is reported to the job (which fails it if it was running).
    /// </summary>
    private async Task Reconcile(Guid? running)
    {
        var leased = commands.State.LeasedJob;
        if (running is { } job && job != leased)
        {
            if (!commands.State.Pending.Exists(c => c.Type == "AbortJob" && c.JobGuid == job))
            {
                await EnqueueCommandAsync(new RobotCommand("AbortJob", job));
            }
        }
        else if (running is null && leased is { } held && !commands.State.Pending.Exists(c => c.JobGuid == held))
        {
            // Not awaited: a job may be waiting on this robot right now (releasing its lease).
            GrainFactory.GetGrain<IJobGrain>(held).RobotReportsNoneAsync(Record!.Guid).Ignore();
        }
    }

    /// <summary>Writes the lease before anything relies on it; a failed write leaves memory as storage has it.</summary>
    /// <param name="pending">The command queue to store with the lease, when it changes too; null keeps it.</param>
    private async Task SaveLease(Guid? job, List<RobotCommand>? pending = null)
    {
        _leaseCheckedAt = Clock.Now;
        var (previous, previousPending) = (commands.State.LeasedJob, commands.State.Pending);
        commands.State.LeasedJob = job;
        commands.State.Pending = pending ?? previousPending;
        try
        {
            await commands.WriteStateAsync();
        }
        catch
        {
            (commands.State.LeasedJob, commands.State.Pending) = (previous, previousPending);
            throw;
        }
    }

    private async Task SaveLiveness(RobotRecord record, RobotStatus status, DateTimeOffset now)
    {
        var saved = record with { Status = status, LastHeartbeatAt = _lastHeartbeat ?? now };
        await records.UpdateAsync(saved);
        Record = saved;
    }

    private async Task<IReadOnlyList<RobotCommand>> TakeCommands()
    {
        if (commands.State.Pending.Count == 0)
        {
            return [];
        }

        var taken = commands.State.Pending;
        await SaveCommands([]);
        return taken;
    }

    /// <summary>
    /// The number a robot's reported Version is compared with MinVersionToRun by: "1.05" and, from a robot of a locale
    /// that writes a decimal comma, "1,05" (not 105); "v2" is 2, and "2.1.0" 2.1 (its first two parts). Null when it
    /// begins with no number.
    /// </summary>
    public static decimal? VersionNumber(string? reported)
    {
        var text = (reported ?? string.Empty).Trim().TrimStart('v', 'V');
        if (!text.Contains('.', StringComparison.Ordinal))
        {
            text = text.Replace(',', '.');
        }

        var end = 0;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        if (end < text.Length - 1 && text[end] == '.' && char.IsAsciiDigit(text[end + 1]))
        {
            end++;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }
        }

        return end > 0 && decimal.TryParse(text.AsSpan(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static bool IsStartOf(RobotCommand command, Guid job) => command.Type == "StartJob" && command.JobGuid == job;

    /// <summary>
    /// Drops the commands up to <paramref name="ack"/> and answers every one still outstanding. An Ack above the last
    /// Seq sent (a robot whose own record of the sequence outlived ours: restored, or moved between orchestrators) moves
    /// the sequence past it, so the next command has a Seq the robot has not seen and is not dropped as one it has.
    /// </summary>
    private async Task<IReadOnlyList<RobotCommand>> Acknowledge(long ack)
    {
        if (ack > commands.State.LastSeq)
        {
            await SaveCommands([], ack);
        }
        else if (commands.State.Pending.Exists(c => c.Seq <= ack))
        {
            await SaveCommands(commands.State.Pending.Where(c => c.Seq > ack).ToList());
        }

        return [.. commands.State.Pending];
    }

    /// <summary>
    /// Replaces the queue and writes it before anything else sees it; a failed write leaves the queue as it
    /// was, so memory never holds commands that storage does not (or the reverse).
    /// </summary>
    private async Task SaveCommands(List<RobotCommand> pending, long? lastSeq = null)
    {
        var (previous, previousSeq) = (commands.State.Pending, commands.State.LastSeq);
        commands.State.Pending = pending;
        commands.State.LastSeq = lastSeq ?? previousSeq;
        try
        {
            await commands.WriteStateAsync();
        }
        catch
        {
            (commands.State.Pending, commands.State.LastSeq) = (previous, previousSeq);
            throw;
        }
    }

    private void StartLivenessTimer()
    {
        if (_livenessTimer is not null)
        {
            return;
        }

        // Often enough to record Unresponsive and Offline within a small fraction of their windows.
        var shortestWindow = TimeSpan.FromTicks(Math.Min(_options.UnresponsiveAfter.Ticks, (_options.OfflineAfter - _options.UnresponsiveAfter).Ticks));
        var period = TimeSpan.FromTicks(Math.Clamp(shortestWindow.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(15).Ticks));
        // KeepAlive: a silent robot gets no calls, yet its grain must stay to record Unresponsive and Offline;
        // once Offline is recorded the timer stops and the grain may be collected.
        _livenessTimer = this.RegisterGrainTimer(CheckLiveness, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    /// <summary>Records a status change that came from silence (Unresponsive, Offline), then stops once Offline.</summary>
    private async Task CheckLiveness(CancellationToken cancellationToken)
    {
        if (Record is null)
        {
            return;
        }

        var now = Clock.Now;
        var status = CurrentLiveness(now);
        if (status != Record.Status)
        {
            await SaveLiveness(Record, status, now);
            if (status is RobotStatus.Unresponsive or RobotStatus.Offline)
            {
                // Silent robots are not woken for new jobs; a heartbeat brings the robot back to ask for work.
                await Dispatcher.RobotGoneAsync(Record.Id);
                _lastPull = null;
            }
        }

        if (status == RobotStatus.Offline && commands.State.LeasedJob is { } lost)
        {
            // Robot lost. The job hears of it without this robot waiting on it (the job may be calling this robot),
            // and releases the lease once it has recorded the loss; until then every tick, and every activation
            // after a crash, tells it again, so the notice cannot be lost.
            GrainFactory.GetGrain<IJobGrain>(lost).RobotLostAsync(Record.Guid).Ignore();
            return;
        }

        if (status == RobotStatus.Offline)
        {
            _livenessTimer?.Dispose();
            _livenessTimer = null;
        }
    }

    /// <summary>The status callers see: the operator's Disabled switch over the live status.</summary>
    private RobotStatus StatusOf(RobotRecord r, DateTimeOffset now) => r.Disabled ? RobotStatus.Disabled : CurrentLiveness(now);

    private RobotInfo ToInfo(RobotRecord r, DateTimeOffset now) => new(
        r.Id, r.Guid, r.AccountId, r.Name, r.Description, r.Machine, r.IP, r.MAC, r.Version,
        r.LicenseExpiration, r.LicenseString, StatusOf(r, now), r.CreatedAt, r.UpdatedAt, _lastHeartbeat);
}
