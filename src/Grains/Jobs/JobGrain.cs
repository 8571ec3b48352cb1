using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Records;
using Orchestrator.Robots;
using Orchestrator.Storage;

namespace Orchestrator.Jobs;

/// <inheritdoc cref="IJobGrain"/>
/// <remarks>
/// Calls it makes and awaits: the dispatcher (which awaits nobody) and the robot that holds the job. A robot calls
/// it only to assign a waiting job (which holds no robot, so never calls one back) or without awaiting (robot lost),
/// so no two grains ever wait on each other.
/// </remarks>
public sealed class JobGrain(
    JobRecords records, DispatchNotices notices, OrchestratorClock clock, IOptions<JobOptions> options, IEnumerable<IJobEndedHandler> endedHandlers,
    ILogger<JobGrain> logger)
    : RecordGrain<JobRecord>(records, clock), IJobGrain
{
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromMilliseconds(100);

    // After a failed attempt at handling the job's end, how long until the next.
    private static readonly TimeSpan EndRetry = TimeSpan.FromSeconds(5);

    private readonly JobOptions _options = options.Value;
    private IGrainTimer? _watch;

    // When AbortJob was last sent again to a robot that has not answered it; null until then (and after a move).
    private DateTimeOffset? _abortResentAt;

    // When to try again to handle the job's end, after an attempt failed; null until then.
    private DateTimeOffset? _endRetryAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);

        // Every deadline is computed from the row (the lease and the stop request are its last writes), so a job
        // that moves to another silo or comes back after a crash keeps the deadlines it had; an end left unhandled by
        // a crash is handled at the first tick.
        Watch();
    }

    public async Task<Created> CreateAsync(JobDraft draft)
    {
        if (Record is null && draft.ScheduleId is not null)
        {
            // A trigger inserts its jobs' rows itself and comes here only when the row was there already: this grain may
            // have been woken before the row existed, so it reads it again rather than trust its empty memory.
            Record = await records.FindAsync(this.GetPrimaryKey());
        }

        if (Record is { ScheduleId: not null } existing && draft.ScheduleId is not null
            && (existing.AccountId, existing.ScheduleId, existing.ScheduledAt) == (draft.AccountId, draft.ScheduleId, draft.ScheduledAt))
        {
            // A trigger's fire repeated (its job GUIDs are derived from the occurrence): the job it made, not a second one.
            if (existing is { Status: JobStatus.Pending, RobotId: null })
            {
                await Dispatcher.EnqueueAsync(existing.ToPending());
            }

            return new Created(WriteResult.Done, existing.Id);
        }

        if (Record is not null)
        {
            return new Created(WriteResult.Conflict, 0);
        }

        try
        {
            if (await records.InsertIfTargetsLiveAsync(JobRecord.New(this.GetPrimaryKey(), draft, Clock.Now)) is not { } inserted)
            {
                // Its version, process, robot or group was deleted since the caller found it.
                LeaveSoon();
                return new Created(WriteResult.Conflict, 0);
            }

            Record = inserted;
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return new Created(WriteResult.NameTaken, 0);
        }

        await notices.EnqueueAsync(Record.AccountId, Record.ToPending());
        return new Created(WriteResult.Done, Record.Id);
    }

    public Task WakeAsync()
    {
        Watch();
        return Task.CompletedTask;
    }

    public Task<JobInfo?> GetAsync(long accountId) => Task.FromResult(IsOwnedBy(accountId) ? Record.ToInfo() : null);

    public async Task<WriteResult> TransitionAsync(long accountId, JobStatus to, string? message, Guid? robot)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        if (JobLifecycle.IsRobotReport(to) && (Record.RobotGuid is null || robot is { } reporter && reporter != Record.RobotGuid))
        {
            // A report from a robot that does not hold the job. One that believes it runs the job must stop, if it is a
            // robot of this account: no account sends commands to another's robots (API.md §14). Only this rare path
            // asks; a holder's report needs no look-up.
            if (to == JobStatus.Running && robot is { } stray && await GrainFactory.GetGrain<IRobotGrain>(stray).GetAsync(accountId) is not null)
            {
                await GrainFactory.GetGrain<IRobotGrain>(stray).EnqueueCommandAsync(new RobotCommand("AbortJob", Record.Guid));
            }

            return WriteResult.Conflict;
        }

        return JobLifecycle.IsLegal(Record.Status, to) ? await ApplyAsync(to, message) : WriteResult.Conflict;
    }

    public async Task<WriteResult> NoteAsync(long accountId, string message, Guid? robot)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        if (!JobLifecycle.IsLive(Record.Status) || robot is { } reporter && reporter != Record.RobotGuid)
        {
            return WriteResult.Conflict;
        }

        return await SaveAsync(Record with { Message = message, UpdatedAt = Clock.Now });
    }

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        if (Record.Status == JobStatus.Pending)
        {
            await ApplyAsync(JobStatus.Cancelled, Record.Message.Length > 0 ? Record.Message : "Cancelled by deletion.");
        }

        // A deleted row is not read again: its end is handled before it goes.
        await HandleEndAsync();
        return JobLifecycle.IsTerminal(Record.Status) ? await base.DeleteAsync(accountId) : WriteResult.Conflict;
    }

    public async Task<JobStart?> AssignAsync(long robotId, Guid robotGuid)
    {
        // A dispatcher learns of a job only once its row is committed. A trigger's job is inserted by the trigger, not
        // through this grain: woken before that (a GET of its GUID), the grain's memory may still be empty.
        Record ??= await records.FindAsync(this.GetPrimaryKey());
        if (Record is not { Status: JobStatus.Pending, RobotId: null })
        {
            return null;
        }

        await SaveAsync(Record with { RobotId = robotId, RobotGuid = robotGuid, UpdatedAt = Clock.Now });
        Watch();
        var stopAfter = Record.StopAfterSeconds ?? (Record.StopAt is { } at ? Math.Max(0, (long)(at - Clock.Now).TotalSeconds) : null);
        return new JobStart(Record.Guid, Record.ProcessVersionGuid, Record.ProcessFileName, Record.Parameters, stopAfter);
    }

    public Task<bool> HeldByAsync(Guid robot) =>
        Task.FromResult(Record is not null && JobLifecycle.IsLive(Record.Status) && Record.RobotGuid == robot);

    public async Task RobotLostAsync(Guid robot)
    {
        if (Record is null || Record.RobotGuid != robot || !JobLifecycle.IsLive(Record.Status))
        {
            // Not (or no longer) this robot's job: the robot keeps telling until it hears it may drop its lease.
            await GrainFactory.GetGrain<IRobotGrain>(robot).ReleaseLeaseAsync(this.GetPrimaryKey());
            return;
        }

        if (Record.Status == JobStatus.Pending)
        {
            await ReturnToWaitingAsync("The robot went offline before it started the job.");
        }
        else if (JobLifecycle.IsLive(Record.Status))
        {
            await ApplyAsync(JobStatus.Failed, "Robot lost: the robot stopped heartbeating while it ran the job.");
        }
    }

    public async Task RobotReportsNoneAsync(Guid robot)
    {
        if (Record is { Status: JobStatus.Running or JobStatus.Stopping or JobStatus.Aborting } && Record.RobotGuid == robot)
        {
            await ApplyAsync(JobStatus.Failed, "The robot reported that it runs no job while this one was running on it.");
        }
    }

    public async Task HandleEndAsync()
    {
        if (Record is not { EndPending: true } ended)
        {
            return;
        }

        if (_options.TestingDelayBeforeEndHandling > TimeSpan.Zero)
        {
            await Task.Delay(_options.TestingDelayBeforeEndHandling);
        }

        try
        {
            // Each step is idempotent (a lease is released only by the job that holds it; a queue fails only the job's
            // InProgress tasks; a continuous trigger tops its jobs up to its maximum), so a second run changes nothing.
            if (ended.RobotGuid is { } held)
            {
                await GrainFactory.GetGrain<IRobotGrain>(held).ReleaseLeaseAsync(ended.Guid);
            }

            foreach (var handler in endedHandlers)
            {
                await handler.JobEndedAsync(ended.AccountId, ended.Id, ended.Guid, ended.Status);
            }
        }
        catch (Exception e)
        {
            // The status stands; the end is tried again shortly, and after a crash by whichever silo picks it up.
            logger.LogWarning(e, "Job {Job} ended {Status}, but what its end entails failed; it is tried again.", ended.Guid, ended.Status);
            _endRetryAt = Clock.Now + EndRetry;
            Watch();
            return;
        }

        _endRetryAt = null;
        await SaveAsync(ended with { EndPending = false });
        Watch();
    }

    private IJobDispatcherGrain Dispatcher => GrainFactory.GetGrain<IJobDispatcherGrain>(Record!.AccountId);

    /// <summary>Writes the transition, then does what it entails: commands to the robot, the lease, the dispatcher.</summary>
    private async Task<WriteResult> ApplyAsync(JobStatus to, string? message)
    {
        var now = Clock.Now;
        var terminal = JobLifecycle.IsTerminal(to);
        var result = await SaveAsync(Record! with
        {
            Status = to,
            Message = message ?? Record.Message,
            UpdatedAt = now,
            StartedAt = to == JobStatus.Running ? now : Record.StartedAt,
            FinishedAt = terminal ? now : Record.FinishedAt,

            // In the same write as the terminal status: a crash before the end is handled leaves it to do, not lost.
            EndPending = terminal,
        });
        if (result != WriteResult.Done)
        {
            return result;
        }

        var robot = Record!.RobotGuid is { } held ? GrainFactory.GetGrain<IRobotGrain>(held) : null;
        switch (to)
        {
            case JobStatus.Cancelled:
                await Dispatcher.RemoveAsync(Record.Guid);
                if (robot is not null)
                {
                    await robot.EnqueueCommandAsync(new RobotCommand("AbortJob", Record.Guid));
                }

                break;
            case JobStatus.Stopping:
                await robot!.EnqueueCommandAsync(new RobotCommand("StopJob", Record.Guid));
                break;
            case JobStatus.Aborting:
                await robot!.EnqueueCommandAsync(new RobotCommand("AbortJob", Record.Guid));
                break;
        }

        if (terminal)
        {
            await HandleEndAsync();
        }

        Watch();
        return WriteResult.Done;
    }

    /// <summary>Releases the lease of a job its robot never started and puts it back among the waiting.</summary>
    private async Task ReturnToWaitingAsync(string message)
    {
        var robot = Record!.RobotGuid;
        await SaveAsync(Record with { RobotId = null, RobotGuid = null, Message = message, UpdatedAt = Clock.Now });
        if (robot is { } held)
        {
            await GrainFactory.GetGrain<IRobotGrain>(held).ReleaseLeaseAsync(Record.Guid);
        }

        await Dispatcher.EnqueueAsync(Record.ToPending());
    }

    /// <summary>When a running job is asked to stop: its StopAfter date, or StopAfter seconds after it started.</summary>
    private DateTimeOffset? StopDeadline() =>
        Record?.StopAt ?? (Record is { StartedAt: { } started, StopAfterSeconds: { } seconds } ? started.AddSeconds(seconds) : null);

    /// <summary>
    /// The next deadline the job's status carries: a leased job's start timeout (from the lease, its last write), a
    /// running job's StopAfter, a stopping job's abort grace (from the stop request, its last write, whoever asked),
    /// and for an aborting job the time to send AbortJob again (its robot has not answered within the grace: the
    /// command may have been lost with a silo that died before queuing it).
    /// </summary>
    private DateTimeOffset? NextDeadline() => Record switch
    {
        { EndPending: true } => _endRetryAt ?? DateTimeOffset.MinValue,
        { Status: JobStatus.Pending, RobotId: not null } => Record.UpdatedAt + _options.StartTimeout,
        { Status: JobStatus.Running } => StopDeadline(),
        { Status: JobStatus.Stopping } => Record.UpdatedAt + _options.AbortGrace,
        { Status: JobStatus.Aborting, RobotGuid: not null } => (_abortResentAt ?? Record.UpdatedAt) + _options.AbortGrace,
        _ => null,
    };

    /// <summary>Keeps a timer while a deadline can pass (start timeout, StopAfter, abort grace); none otherwise.</summary>
    private void Watch()
    {
        if (NextDeadline() is null)
        {
            _watch?.Dispose();
            _watch = null;
        }
        else
        {
            // The period is short and the deadlines are read from the orchestrator's clock, so tests can move time.
            _watch ??= this.RegisterGrainTimer(CheckDeadlines, new GrainTimerCreationOptions(WatchPeriod, WatchPeriod) { KeepAlive = true });
        }
    }

    private async Task CheckDeadlines(CancellationToken cancellationToken)
    {
        if (Record is { EndPending: true } && Clock.Now >= NextDeadline())
        {
            await HandleEndAsync();
        }
        else if (NextDeadline() is { } deadline && Clock.Now >= deadline)
        {
            switch (Record!.Status)
            {
                case JobStatus.Pending:
                    await ReturnToWaitingAsync($"The robot did not report Running within {_options.StartTimeout.TotalSeconds:0} s; the job waits for a robot again.");
                    break;
                case JobStatus.Running:
                    await ApplyAsync(JobStatus.Stopping, "StopAfter reached: the robot is asked to stop.");
                    break;
                case JobStatus.Stopping:
                    await ApplyAsync(JobStatus.Aborting, $"Still running {_options.AbortGrace.TotalSeconds:0} s after it was asked to stop: aborted.");
                    break;
                case JobStatus.Aborting:
                    _abortResentAt = Clock.Now;
                    await GrainFactory.GetGrain<IRobotGrain>(Record.RobotGuid!.Value).EnqueueCommandAsync(new RobotCommand("AbortJob", Record.Guid));
                    break;
            }
        }

        Watch();
    }
}
