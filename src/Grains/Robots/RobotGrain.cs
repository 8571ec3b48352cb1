using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.Robots;

/// <inheritdoc cref="IRobotGrain"/>
public sealed class RobotGrain(
    [PersistentState("robot", OrchestratorStorageNames.GrainState)] IPersistentState<RobotCommandQueue> commands,
    RobotRecords records,
    IOptions<RobotOptions> options,
    OrchestratorClock clock) : Grain, IRobotGrain
{
    private readonly RobotOptions _options = options.Value;
    private RobotRecord? _record;

    // The exact time of the last heartbeat lives here; the record gets it at most every persist interval.
    private DateTimeOffset? _lastHeartbeat;
    private int _waitingPolls;
    private TaskCompletionSource? _commandQueued;
    private IGrainTimer? _livenessTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _record = await records.FindAsync(this.GetPrimaryKey());
        _lastHeartbeat = _record?.LastHeartbeatAt;
        if (_record is not null && CurrentLiveness(clock.Now) != RobotStatus.Offline)
        {
            StartLivenessTimer();
        }
    }

    public async Task<Created> CreateAsync(RobotDraft draft)
    {
        if (_record is not null)
        {
            return new Created(WriteResult.Conflict, 0);
        }

        var now = clock.Now;
        var robot = new RobotRecord(
            0, this.GetPrimaryKey(), draft.AccountId, draft.Name, draft.Description, string.Empty, string.Empty,
            string.Empty, string.Empty, 0, string.Empty, RobotStatus.Offline, false, null, now, now);
        try
        {
            var id = await records.InsertAsync(robot);
            _record = robot with { Id = id };
            return new Created(WriteResult.Done, id);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return new Created(WriteResult.NameTaken, 0);
        }
    }

    public Task<RobotInfo?> GetAsync(long accountId) =>
        Task.FromResult(IsOwnedBy(accountId) ? ToInfo(_record, clock.Now) : null);

    public async Task<WriteResult> UpdateAsync(long accountId, RobotChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var record = _record with
        {
            Name = change.Name ?? _record.Name,
            Description = change.Description ?? _record.Description,
            Disabled = change.Disabled ?? _record.Disabled,
            UpdatedAt = clock.Now,
        };
        try
        {
            await records.UpdateAsync(record);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return WriteResult.NameTaken;
        }

        _record = record;
        return WriteResult.Done;
    }

    public async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        await records.SoftDeleteAsync(_record.Id, clock.Now);
        _record = null;
        if (commands.RecordExists)
        {
            await commands.ClearStateAsync();
        }

        // Wake any waiting long-poll: it ends, and its heartbeat answers that the robot is gone.
        _commandQueued?.TrySetResult();
        _commandQueued = null;
        _livenessTimer?.Dispose();
        _livenessTimer = null;
        DeactivateOnIdle();
        return WriteResult.Done;
    }

    public async Task<HeartbeatReply?> HeartbeatAsync(long accountId, HeartbeatReport report)
    {
        if (!IsOwnedBy(accountId))
        {
            return null;
        }

        var now = clock.Now;
        _lastHeartbeat = now;
        var status = CurrentLiveness(now);
        var record = _record with
        {
            Machine = report.Machine ?? _record.Machine,
            IP = report.IP ?? _record.IP,
            MAC = report.MAC ?? _record.MAC,
            Version = report.Version ?? _record.Version,
        };

        // A heartbeat is a memory write. The record is written only when what it shows would change:
        // the status, what the robot reports about itself, or a heartbeat time grown older than the persist interval.
        var stale = _record.LastHeartbeatAt is not { } persisted || now - persisted >= _options.HeartbeatPersistInterval;
        if (stale || status != _record.Status || record != _record)
        {
            await SaveLiveness(record, status, now);
        }

        StartLivenessTimer();
        var delivered = report.Ack is { } ack ? await Acknowledge(ack) : await TakeCommands();
        return new HeartbeatReply(StatusOf(_record, now), delivered);
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
                    _lastHeartbeat = clock.Now;
                }
            }
        }

        return _record is not null && commands.State.Pending.Count > 0;
    }

    public async Task<WriteResult> EnqueueCommandAsync(RobotCommand command)
    {
        if (_record is null)
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

    [MemberNotNullWhen(true, nameof(_record))]
    private bool IsOwnedBy(long accountId)
    {
        if (_record is null)
        {
            // Woken for a GUID that names no robot: do not linger in memory for it.
            DeactivateOnIdle();
            return false;
        }

        return _record.AccountId == accountId;
    }

    /// <summary>The status heartbeats and leases give, before the operator's Disabled switch is applied.</summary>
    private RobotStatus CurrentLiveness(DateTimeOffset now) =>
        RobotLiveness.Derive(false, leased: false, _waitingPolls > 0 ? now : _lastHeartbeat, now, _options);

    private async Task SaveLiveness(RobotRecord record, RobotStatus status, DateTimeOffset now)
    {
        var saved = record with { Status = status, LastHeartbeatAt = _lastHeartbeat ?? now };
        await records.UpdateAsync(saved);
        _record = saved;
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

    /// <summary>Drops the commands up to <paramref name="ack"/> and answers every one still outstanding.</summary>
    private async Task<IReadOnlyList<RobotCommand>> Acknowledge(long ack)
    {
        if (commands.State.Pending.Exists(c => c.Seq <= ack))
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
        if (_record is null)
        {
            return;
        }

        var now = clock.Now;
        var status = CurrentLiveness(now);
        if (status != _record.Status)
        {
            await SaveLiveness(_record, status, now);
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
