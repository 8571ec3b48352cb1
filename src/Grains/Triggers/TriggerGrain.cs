using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Triggers;

/// <inheritdoc cref="ITriggerGrain"/>
/// <remarks>
/// Exactly once per occurrence: the row records the occurrence (runs or skipped, the mark, the job's GUID) in one
/// compare-and-set statement before the job exists, and the job's GUID is derived from the trigger and the
/// occurrence. A fire repeated by a reactivation, a duplicate reminder tick or a second activation in a failover
/// either finds the row moved on (and reads it again) or creates the job that already exists, which answers as
/// created. A fire's record and its job's row commit in one transaction; a job recorded but not created (its insert
/// failed alone, or a silo of an earlier version crashed between the two) is created when the trigger next wakes.
/// </remarks>
public sealed class TriggerGrain(
    TriggerRecords records, JobRecords jobs, DispatchNotices notices, TriggerFireGate gate, OrchestratorClock clock,
    IOptions<TriggerOptions> options, ILogger<TriggerGrain> logger)
    : RecordGrain<TriggerRecord>(records, clock), ITriggerGrain, IRemindable
{
    private const string ReminderName = "trigger";
    private const int MaxFiresPerWake = 1000;

    // Occurrences missed while no silo ran the trigger are counted one by one: a cron of every second down for weeks
    // stops counting here rather than spend seconds of the silo's time on one trigger.
    private const int MaxCountedMisses = 1_000_000;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly TriggerOptions _options = options.Value;
    private IGrainTimer? _timer;
    private IGrainReminder? _reminder;
    private bool _reminderRead;
    private bool _lastJobChecked;
    private TriggerPlan? _plan;

    // What was read ahead of the next occurrence (PrepareAhead); null when nothing was.
    private Prepared? _prepared;

    // The occurrence the next is looked for after: the row's mark, or later where time passed without an occurrence
    // to write (the misfire threshold reached past a stretch with none).
    private DateTimeOffset _mark;

    // When this activation began. An enabled trigger's activation lives as long as its silo (its reminder calls it
    // every minute), so an occurrence from before it passed while no silo ran the trigger: missed, not late.
    private DateTimeOffset _activatedAt = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var activatedAt = Clock.Now;
        await base.OnActivateAsync(cancellationToken);
        if (Record is not null)
        {
            _mark = Record.LastOccurrence;
            _activatedAt = activatedAt;
            await AdvanceAsync();
        }
    }

    public async Task<Created> CreateAsync(long accountId, TriggerDefinition definition)
    {
        var now = Clock.Now;
        var created = await InsertAsync(new TriggerRecord(0, this.GetPrimaryKey(), accountId, definition, 0, 0, now, null, null, now, now));
        if (created.Result == WriteResult.Done)
        {
            _mark = now;
            _lastJobChecked = true;
            await AdvanceAsync();
        }

        return created;
    }

    public Task<TriggerInfo?> GetAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return Task.FromResult<TriggerInfo?>(null);
        }

        var r = Record;
        return Task.FromResult<TriggerInfo?>(new TriggerInfo(
            r.Id, r.Guid, r.AccountId, r.Definition, r.Runs, r.Skipped, NextRunAt(), r.LastRunAt, r.Created, r.Updated));
    }

    public async Task<TriggerWrite> UpdateAsync(long accountId, TriggerChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return new TriggerWrite(WriteResult.NotFound);
        }

        // What is due under the old definition fires first; from now on, the new one rules, and what it would have
        // fired before now is not caught up. Now is read first: what comes during the update is the new definition's.
        var now = Clock.Now;
        await AdvanceAsync();
        if (Record is null)
        {
            return new TriggerWrite(WriteResult.NotFound);
        }

        // The change is merged here, on the definition this grain (the record's only writer) holds, so an update of one
        // field never writes back another field as an earlier read saw it.
        var definition = change.ApplyTo(Record.Definition);
        if (TriggerRules.Check(definition) is { } invalid)
        {
            return TriggerWrite.Invalid(invalid.Field, invalid.Detail);
        }

        var mark = Max(Record.LastOccurrence, now);
        var result = await SaveAsync(Record with { Definition = definition, LastOccurrence = mark, Updated = Clock.Now });
        if (result == WriteResult.Done)
        {
            _mark = Max(_mark, mark);
            _plan = null;
            _prepared = null;
            await AdvanceAsync();
        }

        return new TriggerWrite(result);
    }

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var result = await base.DeleteAsync(accountId);
        _prepared = null;
        StopTimer();
        await ForgetReminderAsync();
        return result;
    }

    public Task WakeAsync() => AdvanceAsync();

    public Task<DateTimeOffset?> PreparedForAsync() => Task.FromResult(_prepared?.Occurrence);

    public Task NextJobChangedAsync()
    {
        // The rest of the preparation still holds: the previous job past Pending stays so, the job's grain is active.
        _prepared = _prepared is null ? null : _prepared with { VersionId = null };

        // A turn of its own, not inside the caller's (a process's grain, waiting for this answer).
        ArmTimer(Clock.Now);
        return Task.CompletedTask;
    }

    public Task CalendarChangedAsync()
    {
        if (Record is not null)
        {
            _mark = Max(_mark, Clock.Now);
            _plan = null;
            _prepared = null;
            ArmTimer(Clock.Now);
        }

        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => AdvanceAsync();

    private bool MaxRunsReached => Record!.Definition.MaxRuns > 0 && Record.Runs >= Record.Definition.MaxRuns;

    private DateTimeOffset? NextRunAt()
    {
        var d = Record!.Definition;
        if (d.Status != TriggerStatus.Enabled || d.ProcessingType != TriggerProcessingType.Scheduled || MaxRunsReached)
        {
            return null;
        }

        return (_plan ?? new TriggerPlan(d)).NextAfter(_mark);
    }

    /// <summary>Brings the trigger up to date with the clock; a failure is logged and tried again shortly.</summary>
    private async Task AdvanceAsync()
    {
        try
        {
            await AdvanceCoreAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Trigger {Trigger} could not fire; it tries again in {Retry}.", this.GetPrimaryKey(), RetryAfterFailure);
            ArmTimer(Clock.Now + RetryAfterFailure);
        }
    }

    private async Task AdvanceCoreAsync()
    {
        if (Record is not { Definition.Status: TriggerStatus.Enabled } trigger)
        {
            StopTimer();
            await ForgetReminderAsync();
            return;
        }

        var calendar = trigger.Definition.CalendarAssetId is { } asset ? await records.CalendarDatesAsync(asset) : null;
        _plan = new TriggerPlan(trigger.Definition, calendar);
        await EnsureLastJobAsync();

        var (finished, wakeAt) = trigger.Definition.ProcessingType == TriggerProcessingType.Scheduled
            ? await FireDueAsync()
            : await KeepRunningAsync();
        if (finished || Record is null)
        {
            StopTimer();
            await ForgetReminderAsync();
            return;
        }

        await KeepReminderAsync();
        if (wakeAt is { } at)
        {
            ArmTimer(at);
        }
        else
        {
            StopTimer();
        }
    }

    /// <summary>A scheduled trigger: fires every occurrence up to now, once; answers when to wake next.</summary>
    private async Task<(bool Finished, DateTimeOffset? WakeAt)> FireDueAsync()
    {
        var now = Clock.Now;
        var missedUntil = Max(now - _options.MisfireThreshold, _activatedAt);
        if (missedUntil > _mark)
        {
            // Occurrences from before this activation, or this far past, were not fired when due (no silo ran the
            // trigger): one catch-up job, or none; the others are counted as skipped, in the same write as the catch-up
            // (or a write of their own). Later ones are merely late (a busy silo), and fire.
            if (_plan!.LatestIn(_mark, missedUntil) is { } latest && !MaxRunsReached)
            {
                var missed = _plan.CountIn(_mark, latest, MaxCountedMisses);
                if (Record!.Definition.CheckMissedTrigger)
                {
                    await FireAsync(latest, now, missed - 1);
                }
                else
                {
                    var before = Record;
                    await RecordAsync(before, before with { Skipped = before.Skipped + missed, LastOccurrence = latest });
                }
            }

            _mark = Max(_mark, missedUntil);
        }

        for (var fired = 0; fired < MaxFiresPerWake && Record is not null; fired++)
        {
            if (MaxRunsReached || _plan!.NextAfter(_mark) is not { } next)
            {
                return (true, null);
            }

            if (next > now)
            {
                // Every occurrence up to now is handled. Those the plan passed over (calendar dates) stay passed: a
                // calendar changed later does not bring them back as late fires.
                _mark = Max(_mark, now);
                return (false, await PrepareAsync(next, now));
            }

            await FireAsync(next, now);
        }

        return (false, now);
    }

    /// <summary>
    /// One occurrence: a job, or a skip when the previous job still waits for a robot or the process has no version to
    /// run. <paramref name="passedOver"/> earlier occurrences (missed while no silo ran the trigger) are counted as
    /// skipped in the same write.
    /// </summary>
    private async Task FireAsync(DateTimeOffset occurrence, DateTimeOffset now, long passedOver = 0)
    {
        var prepared = _prepared?.Occurrence == occurrence ? _prepared : null;
        _prepared = null;
        var before = Record!;

        // What the preparation settled is not read again: the process's version, and the previous job found past
        // Pending (no job returns to Pending). A fire that still reads holds a connection meanwhile, so it takes its turn
        // among those; one that only writes takes a turn among the many more of those (its writes join the group commit
        // and hold no connection).
        var previousSettled = before.LastJobGuid is null || before.LastJobGuid == prepared?.PreviousJobPastPending;
        using var turn = previousSettled && prepared?.VersionId is not null ? await gate.EnterWritesAsync() : await gate.EnterAsync();
        if (!previousSettled && await records.JobStatusAsync(before.LastJobGuid!.Value) == (int)JobStatus.Pending)
        {
            await RecordAsync(before, before with { Skipped = before.Skipped + passedOver + 1, LastOccurrence = occurrence });
            return;
        }

        // Nothing found to run at the preparation is looked for again.
        var (runs, whyNot) = prepared?.VersionId is { } ready ? (ready, null) : await WhatToRunAsync(before.Definition);
        if (runs is not { } version)
        {
            logger.LogWarning("Trigger {Trigger} skipped the occurrence {Occurrence}: {Reason}.", before.Guid, occurrence, whyNot);
            await RecordAsync(before, before with { Skipped = before.Skipped + passedOver + 1, LastOccurrence = occurrence });
            return;
        }

        var job = TriggerJobs.ForOccurrence(before.Guid, occurrence);
        await RecordFireAsync(
            before,
            before with { Runs = before.Runs + 1, Skipped = before.Skipped + passedOver, LastOccurrence = occurrence, LastRunAt = now, LastJobGuid = job },
            version,
            occurrence);
    }

    /// <summary>
    /// Prepares the fire of <paramref name="next"/> once it is within PrepareAhead: reads the process's latest version
    /// and whether the previous job is past Pending. Writes nothing: no job, no change to the trigger, before the
    /// occurrence. Answers when to wake next: the occurrence, or the start of its preparation.
    /// </summary>
    private async Task<DateTimeOffset> PrepareAsync(DateTimeOffset next, DateTimeOffset now)
    {
        var ahead = _options.PrepareAhead;
        if (ahead <= TimeSpan.Zero || _prepared?.Occurrence == next)
        {
            return next;
        }

        if (now < next - ahead)
        {
            return next - ahead;
        }

        using var turn = await gate.EnterAsync();
        var trigger = Record!;
        var (version, _) = await WhatToRunAsync(trigger.Definition);
        var previousPastPending = trigger.LastJobGuid is { } last && await records.JobStatusAsync(last) != (int)JobStatus.Pending ? last : (Guid?)null;
        _prepared = new Prepared(next, version, previousPastPending);
        return next;
    }

    /// <summary>A continuous trigger: tops its pending and running jobs up to MaxRunningRobots; answers when to wake next.</summary>
    private async Task<(bool Finished, DateTimeOffset? WakeAt)> KeepRunningAsync()
    {
        var now = Clock.Now;
        var d = Record!.Definition;
        if (MaxRunsReached || d.EndAt is { } end && now > end)
        {
            return (true, null);
        }

        if (d.StartAt is { } start && now < start)
        {
            return (false, start);
        }

        if (_plan!.IsCalendarDay(now))
        {
            return (false, _plan.StartOfNextDay(now));
        }

        var live = await records.LiveJobsAsync(Record.Id);
        for (var attempt = 0; live < d.MaxRunningRobots && !MaxRunsReached && attempt < MaxFiresPerWake; attempt++)
        {
            var (runs, whyNot) = await WhatToRunAsync(d);
            if (runs is not { } version)
            {
                logger.LogWarning("Continuous trigger {Trigger} cannot start a job: {Reason}.", Record.Guid, whyNot);
                break;
            }

            using var turn = await gate.EnterAsync();
            var before = Record;
            var run = before.Runs + 1;
            var job = TriggerJobs.ForRun(before.Guid, run);
            if (!await RecordFireAsync(before, before with { Runs = run, LastOccurrence = Max(before.LastOccurrence, now), LastRunAt = now, LastJobGuid = job }, version, null))
            {
                if (Record is null)
                {
                    return (true, null);
                }

                live = await records.LiveJobsAsync(Record.Id);
                continue;
            }

            live++;
        }

        return (false, d.EndAt);
    }

    /// <summary>Writes what the trigger did, if nobody else wrote first; otherwise reads the row again. True when written.</summary>
    private async Task<bool> RecordAsync(TriggerRecord before, TriggerRecord after) => await RecordedAsync(before, after, await records.RecordAsync(before, after));

    /// <summary>
    /// Writes a fire (<paramref name="fired"/> names its job) and creates its job, in one commit, if nobody else wrote
    /// the trigger first; otherwise reads the row again. True when written.
    /// </summary>
    private async Task<bool> RecordFireAsync(TriggerRecord before, TriggerRecord fired, long versionId, DateTimeOffset? scheduledAt)
    {
        var job = fired.LastJobGuid!.Value;
        var draft = DraftOf(versionId, scheduledAt);
        var (recorded, inserted) = await jobs.InsertFiredAsync(TriggerRecords.Record(before, fired), JobRecord.New(job, draft, Clock.Now));
        var written = await RecordedAsync(before, fired, recorded);

        // Another activation that recorded the same occurrence first names the same job: one this insert made still
        // goes to the dispatcher.
        if (written || inserted is not null)
        {
            await HandOverAsync(job, draft, inserted);
        }

        return written;
    }

    /// <summary>Takes in a compare-and-set's outcome: the row as written, or as it is now when another writer came first.</summary>
    private async Task<bool> RecordedAsync(TriggerRecord before, TriggerRecord after, bool written)
    {
        if (written)
        {
            Record = after;
            _mark = Max(_mark, after.LastOccurrence);
            _lastJobChecked &= after.LastJobGuid == before.LastJobGuid;
            return true;
        }

        Record = await records.FindAsync(before.Guid);
        if (Record is not null)
        {
            _mark = Max(_mark, Record.LastOccurrence);
            _lastJobChecked = false;
        }

        return false;
    }

    /// <summary>
    /// The version the trigger's next job runs, or null and why there is none: its process has no live version, or the
    /// robot or group the trigger is aimed at was deleted (no robot would ever take the job, and it would wait for ever).
    /// </summary>
    private async Task<(long? Version, string? WhyNot)> WhatToRunAsync(TriggerDefinition definition)
    {
        var targetLive = records.TargetLiveAsync(definition);
        var version = await records.LatestVersionAsync(definition.ProcessId);
        if (!await targetLive)
        {
            return (null, "the robot or robot group it is aimed at was deleted");
        }

        return version is null ? (null, "its process has no version to run") : (version, null);
    }

    /// <summary>Creates the job of a fire already recorded (the trigger's row names it), unless its row exists.</summary>
    private async Task CreateJobAsync(Guid job, long versionId, DateTimeOffset? scheduledAt)
    {
        var draft = DraftOf(versionId, scheduledAt);
        await HandOverAsync(job, draft, await jobs.InsertNamedAsync(JobRecord.New(job, draft, Clock.Now)));
    }

    /// <summary>The job this trigger makes, with <paramref name="versionId"/>, for the occurrence <paramref name="scheduledAt"/> (null: a continuous run).</summary>
    private JobDraft DraftOf(long versionId, DateTimeOffset? scheduledAt)
    {
        var r = Record!;
        var d = r.Definition;
        return new JobDraft(
            r.AccountId, d.ProcessId, versionId, d.RobotType == TriggerRobotType.Robot ? d.RobotId : null,
            d.RobotType == TriggerRobotType.Group ? d.RobotGroupId : null, 1, null, null, null, r.Id, scheduledAt);
    }

    /// <summary>
    /// After the insert of a fire's job: a job this trigger inserted goes to its account's dispatcher, as the job's grain
    /// would send it on a create. A job not inserted had its row there already (a fire repeated after a crash): the
    /// job's grain answers for the job it made and hands it to the dispatcher again if it still waits. The job's row is
    /// written by the trigger rather than through the job's grain: a fire is then one write of the group commit and no
    /// grain call, and the job's grain is not woken until a robot is given the job (a burst of fires holds no activations
    /// for jobs that wait). From the insert on, the job's grain is the row's only writer; one woken for the GUID before
    /// the row existed reads the row again before it acts on the job.
    /// </summary>
    private async Task HandOverAsync(Guid job, JobDraft draft, PendingJob? inserted)
    {
        if (inserted is not null)
        {
            await notices.EnqueueAsync(draft.AccountId, inserted);
        }
        else
        {
            var created = await GrainFactory.GetGrain<IJobGrain>(job).CreateAsync(draft);

            // NameTaken: a row with the GUID exists already, deleted since: the job was made.
            if (created.Result is not (WriteResult.Done or WriteResult.NameTaken))
            {
                logger.LogWarning("Trigger {Trigger} could not create its job {Job}: {Result}.", Record!.Guid, job, created.Result);
            }
        }

        _lastJobChecked = true;
    }

    /// <summary>The job of the latest fire exists: a crash may have come between recording the fire and creating it.</summary>
    private async Task EnsureLastJobAsync()
    {
        if (_lastJobChecked || Record is not { LastJobGuid: { } last } trigger)
        {
            _lastJobChecked = true;
            return;
        }

        if (!await records.JobExistsAsync(last) && (await WhatToRunAsync(trigger.Definition)).Version is { } version)
        {
            var scheduledAt = trigger.Definition.ProcessingType == TriggerProcessingType.Scheduled ? trigger.LastOccurrence : (DateTimeOffset?)null;
            await CreateJobAsync(last, version, scheduledAt);
        }

        _lastJobChecked = true;
    }

    private void ArmTimer(DateTimeOffset at)
    {
        // The timer runs on real time and reads the orchestrator's clock when it fires: never more than ClockCheck
        // away, so a clock that is set (or a test's clock that is moved) is noticed.
        var due = at - Clock.Now + TimeSpan.FromMilliseconds(1);
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > _options.ClockCheck ? _options.ClockCheck : due;
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(_ => AdvanceAsync(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task KeepReminderAsync()
    {
        if (!_reminderRead)
        {
            _reminder = await this.GetReminder(ReminderName);
            _reminderRead = true;
        }

        _reminder ??= await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
    }

    private async Task ForgetReminderAsync()
    {
        if (!_reminderRead)
        {
            _reminder = await this.GetReminder(ReminderName);
            _reminderRead = true;
        }

        if (_reminder is not null)
        {
            await this.UnregisterReminder(_reminder);
            _reminder = null;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>What a preparation read: the process's latest version (null: none), and the previous job when it was past Pending.</summary>
    private sealed record Prepared(DateTimeOffset Occurrence, long? VersionId, Guid? PreviousJobPastPending);
}
