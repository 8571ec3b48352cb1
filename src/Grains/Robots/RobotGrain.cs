using Microsoft.Extensions.Options;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Records;

namespace Orchestrator.Robots;

/// <inheritdoc cref="IRobotGrain"/>
public sealed class RobotGrain(
    [PersistentState("robot", OrchestratorStorageNames.GrainState)] IPersistentState<RobotCommandQueue> commands,
    RobotRecords records,
    RobotHeartbeatWriter heartbeats,
    IOptions<RobotOptions> options,
    OrchestratorClock clock) : RecordGrain<RobotRecord>(records, clock), IRobotGrain
{
    private readonly RobotOptions _options = options.Value;

    // The exact time of the last heartbeat lives here; the record gets it at most every persist interval.
    private DateTimeOffset? _lastHeartbeat;
    private int _waitingPolls;
    private TaskCompletionSource? _commandQueued;
    private IGrainTimer? _livenessTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        _lastHeartbeat = Record?.LastHeartbeatAt;
        if (Record is not null && CurrentLiveness(Clock.Now) != RobotStatus.Offline)
        {
            StartLivenessTimer();
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

    public Task<WriteResult> UpdateAsync(long accountId, RobotChange change) =>
        IsOwnedBy(accountId)
            ? SaveAsync(Record with
            {
                Name = change.Name ?? Record.Name,
                Description = change.Description ?? Record.Description,
                Disabled = change.Disabled ?? Record.Disabled,
                UpdatedAt = Clock.Now,
            })
            : Task.FromResult(WriteResult.NotFound);

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (await base.DeleteAsync(accountId) != WriteResult.Done)
        {
            return WriteResult.NotFound;
        }

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
        RobotLiveness.Derive(false, leased: false, _waitingPolls > 0 ? now : _lastHeartbeat, now, _options);

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
        if (Record is null)
        {
            return;
        }

        var now = Clock.Now;
        var status = CurrentLiveness(now);
        if (status != Record.Status)
        {
            await SaveLiveness(Record, status, now);
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
