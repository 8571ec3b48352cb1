using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Records;
using Orchestrator.Storage;
using Orleans.Concurrency;

namespace Orchestrator.Queues;

/// <inheritdoc cref="IQueueGrain"/>
/// <remarks>
/// Group commit: the grain is reentrant, so calls that arrive while a batch is being committed queue up in
/// memory and are committed together in the next transaction; each call returns only once its transaction
/// has committed. Every task write goes through that one pipeline, so the writes of one queue are applied in
/// arrival order by one writer. Taking is one indexed statement (the first row of <c>ix_tasks_next</c>), so it
/// costs the same at any queue depth and no task rows are held in memory.
/// </remarks>
[Reentrant]
public sealed class QueueGrain(
    QueueRecords queues, TaskRecords tasks, OrchestratorDatabase database, OrchestratorClock clock, IOptions<QueueOptions> options, ILogger<QueueGrain> logger)
    : RecordGrain<QueueRecord>(queues, clock), IQueueGrain, IRemindable
{
    private const string AbandonReminder = "abandon";

    private const int WindowSize = 256;

    /// <summary>How many times a batch undone by a transient database error is committed before its callers get the error.</summary>
    private const int MaxCommitAttempts = 3;

    /// <summary>How many tasks of a deleted queue one transaction deletes.</summary>
    internal const int DeleteChunk = 5000;

    private readonly QueueOptions _options = options.Value;

    // SQLite: the grain's batches run on a connection of its own, kept while it is busy. PostgreSQL: a pooled
    // connection a batch (a kept one would hold one of the pool's per active queue).
    private readonly TaskWriter? _writer = database.Kind == DatabaseKind.Sqlite ? new TaskWriter(tasks) : null;
    private readonly DispatchWindow _window = new(WindowSize);

    // Rows per multi-row INSERT: SQLite binds parameters by name at a cost that grows with their number, so its
    // statements stay short (as the log writer's do); PostgreSQL gains from fewer round trips.
    private readonly int _rowsPerInsert = database.Kind == DatabaseKind.Sqlite ? 16 : 200;
    private List<IPendingWrite> _pending = [];
    private Task? _committing;
    private DateTimeOffset _nextAbandonSweep;
    private bool _reminderSet;

    // When the earliest waiting (postponed) task becomes eligible; null when not known, so the next take finds out.
    private DateTimeOffset? _nextRelease;

    // The queue's row as the statements of the batch being committed have left it (an edit of the queue runs in the
    // pipeline like any write); null when they have not changed it. Record takes it once the batch commits.
    private QueueRecord? _piped;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (Record is not null)
        {
            StartTimers();
        }
    }

    /// <summary>The timers of a queue that exists: started on activation, or once the queue is created in this one.</summary>
    private void StartTimers()
    {
        // While active, a coarse timer sweeps for abandoned tasks; the reminder wakes the queue when it is not.
        this.RegisterGrainTimer(_ => SweepIfDueAsync(), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        if (_writer is { } writer)
        {
            this.RegisterGrainTimer(_ => _committing is null ? writer.CloseIfIdleAsync() : Task.CompletedTask, _options.WriterIdle, _options.WriterIdle);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_writer is { } writer && _committing is null)
        {
            await writer.CloseAsync();
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<Created> CreateAsync(QueueDraft draft)
    {
        var now = Clock.Now;
        var created = await InsertAsync(new QueueRecord(0, this.GetPrimaryKey(), draft.AccountId, draft.Name, draft.Description, draft.UniqueTasks, draft.AutoChangeStatus, now, now));
        if (created.Result == WriteResult.Done)
        {
            // A queue created in this activation had none at its start: without them its writer would stay open until it deactivates.
            StartTimers();
        }

        return created;
    }

    public async Task<QueueInfo?> GetAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return null;
        }

        return QueueRecords.Info(Record, await queues.CountsAsync(Record.Id));
    }

    public async Task<WriteResult> UpdateAsync(long accountId, QueueChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        // In the write pipeline, on the row as the writes before it leave it: two edits never write back each other's
        // fields, and the task writes after it see its UniqueTasks. Live tasks join (or leave) the unique-name index in
        // the transaction that writes the queue's row: a name that is taken, or duplicates among the live tasks when
        // turning it on, leave both as they were.
        var queue = Record;
        return await WriteAsync(
            async tx =>
            {
                var before = Current(queue);
                var changed = before with
                {
                    Name = change.Name ?? before.Name,
                    Description = change.Description ?? before.Description,
                    UniqueTasks = change.UniqueTasks ?? before.UniqueTasks,
                    AutoChangeStatus = change.AutoChangeStatus ?? before.AutoChangeStatus,
                    Updated = Clock.Now,
                };
                if (changed.Name != before.Name && await tx.ScalarAsync(QueueRecords.NameTakenStatement, QueueRecords.NameTakenParameters(changed)) is not null)
                {
                    return WriteResult.NameTaken;
                }

                if (changed.UniqueTasks != before.UniqueTasks)
                {
                    await tx.ExecuteAsync(
                        "UPDATE tasks SET unique_name = @unique WHERE queue_id = @queue AND is_deleted = 0 AND status IN (0, 1)",
                        ("@unique", changed.UniqueTasks),
                        ("@queue", changed.Id));
                }

                await tx.ExecuteAsync(QueueRecords.UpdateStatement, QueueRecords.UpdateParameters(changed));
                _piped = changed;
                return WriteResult.Done;
            },
            WriteResult.Conflict);
    }

    /// <summary>The queue's row as the writes run so far leave it; <paramref name="captured"/> when the queue is deleted.</summary>
    private QueueRecord Current(QueueRecord captured) => _piped ?? Record ?? captured;

    /// <summary>Whether new and edited tasks of <paramref name="queue"/> take part in its unique names, as of the writes run so far.</summary>
    private bool UniqueNow(QueueRecord queue) => queue.Id == Record?.Id ? Current(queue).UniqueTasks : queue.UniqueTasks;

    /// <summary>
    /// Deletes the queue and its tasks (soft, as every delete: API.md §1), the tasks first, a chunk per
    /// transaction so a queue of millions never holds the database in one: should the silo stop half-way, the
    /// queue is still there and deleting it again finishes the work.
    /// </summary>
    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        // From here on the queue answers as if gone, so nothing joins the write pipeline; what is in it finishes first.
        var queue = Record;
        Record = null;
        _window.Reset();
        try
        {
            while (_committing is { } committing)
            {
                await committing;
            }

            await DeleteTasksAsync(queue.Id);
            await queues.SoftDeleteAsync(queue.Id, Clock.Now);
        }
        catch
        {
            Record = queue;
            throw;
        }

        // The grain stays a few seconds to answer 404s; the writer of a deleted queue has nothing left to write.
        if (_writer is { } writer && _committing is null)
        {
            await writer.CloseAsync();
        }

        LeaveSoon();
        return WriteResult.Done;
    }

    public Task<TasksCreated> CreateTasksAsync(long accountId, IReadOnlyList<TaskDraft> tasks)
    {
        if (!IsOwnedBy(accountId))
        {
            return Task.FromResult(new TasksCreated(WriteResult.NotFound, [], -1));
        }

        var queue = Record;
        return WriteAsync(
            async tx =>
            {
                if (UniqueNow(queue) && await FirstTakenNameAsync(tx, queue.Id, tasks) is { } clash and >= 0)
                {
                    return new TasksCreated(WriteResult.NameTaken, [], clash);
                }

                var now = Clock.Now;
                var ids = tasks.Count == 1 ? [await InsertTaskAsync(tx, queue, tasks[0], now, parent: null)] : await InsertTasksAsync(tx, queue, tasks, now);
                return new TasksCreated(WriteResult.Done, ids, -1);
            },
            new TasksCreated(WriteResult.NameTaken, [], 0));
    }

    public async Task<TasksCreated> CreateTasksInQueuesAsync(long accountId, IReadOnlyList<TaskDraft> tasks, IReadOnlyList<Guid> queueOfTask)
    {
        if (!IsOwnedBy(accountId))
        {
            return new TasksCreated(WriteResult.NotFound, [], 0);
        }

        // All or none needs one transaction, so this grain writes the other queues' new rows too, checking their
        // rules as their own grains would, and then tells those grains, whose read-ahead did not see the rows come.
        var me = this.GetPrimaryKey();

        // Read together, so that the record reads of a batch spread over many queues go to the database in one query.
        var named = queueOfTask.Where(q => q != me).Distinct().ToList();
        var found = await Task.WhenAll(named.Select(queues.FindAsync));
        var others = new Dictionary<Guid, QueueRecord>();
        for (var k = 0; k < named.Count; k++)
        {
            if (found[k] is { } other && other.AccountId == accountId)
            {
                others[named[k]] = other;
            }
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            if (queueOfTask[i] != me && !others.ContainsKey(queueOfTask[i]))
            {
                return new TasksCreated(WriteResult.NotFound, [], i);
            }
        }

        var queue = Record;
        var created = await WriteAsync(
            async tx =>
            {
                var groups = Enumerable.Range(0, tasks.Count).GroupBy(i => queueOfTask[i]).ToList();
                foreach (var group in groups)
                {
                    var target = group.Key == me ? queue : others[group.Key];
                    if (group.Key != me && await tx.ScalarAsync("SELECT id FROM queues WHERE id = @id AND is_deleted = 0", ("@id", target.Id)) is null)
                    {
                        return new TasksCreated(WriteResult.NotFound, [], group.First());
                    }

                    if (UniqueNow(target) && await FirstTakenNameAsync(tx, target.Id, [.. group.Select(i => tasks[i])]) is { } clash and >= 0)
                    {
                        return new TasksCreated(WriteResult.NameTaken, [], group.ElementAt(clash));
                    }
                }

                var now = Clock.Now;
                var ids = new long[tasks.Count];
                foreach (var group in groups)
                {
                    var members = group.ToList();
                    var drafts = members.Select(i => tasks[i]).ToList();
                    var inserted = group.Key == me ? await InsertTasksAsync(tx, queue, drafts, now) : await InsertRowsAsync(tx, others[group.Key], others[group.Key].UniqueTasks, drafts, now, _rowsPerInsert);
                    if (group.Key != me)
                    {
                        tx.AddedTo(others[group.Key].Id, drafts.Count);
                    }

                    for (var k = 0; k < members.Count; k++)
                    {
                        ids[members[k]] = inserted[k];
                    }
                }

                return new TasksCreated(WriteResult.Done, ids, -1);
            },
            new TasksCreated(WriteResult.NameTaken, [], 0));
        if (created.Result == WriteResult.Done)
        {
            foreach (var other in others.Keys)
            {
                try
                {
                    await GrainFactory.GetGrain<IQueueGrain>(other).TasksAddedAsync();
                }
                catch (Exception e)
                {
                    // The rows are committed; that queue's read-ahead catches up at its next sweep or empty fetch.
                    logger.LogWarning(e, "Queue {Queue} was not told of the tasks added to it", other);
                }
            }
        }

        return created;
    }

    public Task TasksAddedAsync()
    {
        _window.Reset();
        _nextRelease = null;
        return Task.CompletedTask;
    }

    public Task<TaskTaken> TakeAsync(long accountId, Guid? job, Guid? robot) => TakeAsync(accountId, job, robot, checkJob: false);

    public Task<TaskTaken> TakeForJobAsync(long accountId, Guid job, Guid? robot) => TakeAsync(accountId, job, robot, checkJob: true);

    private async Task<TaskTaken> TakeAsync(long accountId, Guid? job, Guid? robot, bool checkJob)
    {
        if (!IsOwnedBy(accountId))
        {
            return new TaskTaken(WriteResult.NotFound, null);
        }

        await EnsureReminderAsync();
        var queueId = Record.Id;
        var sweep = SweepDue();
        var jobOfAccount = checkJob ? accountId : (long?)null;
        return await WriteAsync(
            () => sweep ? null : PlanTake(queueId, job, robot, jobOfAccount),
            async (tx, ahead) =>
            {
                var now = Clock.Now;
                if (sweep)
                {
                    await AbandonOverdueAsync(tx, queueId, now);

                    // Once a sweep interval the window reads the order from the top again: whatever another
                    // activation of this queue (two silos, briefly, in a membership change) or another queue's batch did is
                    // seen then, and so is when its earliest postponed task comes due.
                    _window.Reset();
                    _nextRelease = null;
                }

                if (_nextRelease is not { } release || release <= now)
                {
                    await ReleaseWaitingAsync(tx, queueId, now);
                }

                var (taken, refused) = await TakeNextAsync(tx, queueId, now, job, robot, jobOfAccount, ahead);
                if (refused)
                {
                    return new TaskTaken(WriteResult.Conflict, null);
                }

                if (taken is null)
                {
                    return new TaskTaken(WriteResult.Done, null);
                }

                tx.Moved(QueueTaskStatus.New, QueueTaskStatus.InProgress);
                return new TaskTaken(WriteResult.Done, taken);
            },
            new TaskTaken(WriteResult.Done, null));
    }

    public async Task<WriteResult> UpdateTaskAsync(long accountId, Guid task, TaskChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var queue = Record;
        if (change.Status == QueueTaskStatus.InProgress)
        {
            // A task set InProgress by an update is abandoned as a taken one is, even if the queue goes idle.
            await EnsureReminderAsync();
        }

        return await WriteAsync(
            () => IsCompletion(change) ? new AheadStatement(DispatchStatements.CompleteIfInProgress, DispatchStatements.CompletionParameters(queue, task, change, Clock.Now), DispatchStatements.ReadRetries) : null,
            async (tx, ahead) =>
            {
                var now = Clock.Now;
                if (IsCompletion(change) && await CompleteInProgressAsync(tx, queue, task, change, now, ahead) is { } completed)
                {
                    return completed;
                }

                if (await FindTaskAsync(tx, queue.Id, task) is not { } current)
                {
                    return WriteResult.NotFound;
                }

                var status = change.Status ?? current.Status;
                if (status != current.Status && !TaskTransitions.IsAllowed(current.Status, status))
                {
                    return WriteResult.Conflict;
                }

                var name = change.Name ?? current.Name;
                var live = status is QueueTaskStatus.New or QueueTaskStatus.InProgress;
                var wasLive = current.Status is QueueTaskStatus.New or QueueTaskStatus.InProgress;
                if (UniqueNow(queue) && live && (name != current.Name || !wasLive) && await NameIsLiveAsync(tx, queue.Id, name, current.Id))
                {
                    return WriteResult.NameTaken;
                }

                var deadline = change.ClearDeadline ? null : change.Deadline ?? current.Deadline;
                var postponed = change.ClearPostponed ? null : change.Postponed ?? current.Postponed;
                await tx.ExecuteAsync(
                    """
                    UPDATE tasks SET name = @name, description = @description, comment = @comment, deadline = @deadline,
                        deadline_order = @deadlineOrder, postponed = @postponed, retries = @retries, parameters = @parameters,
                        priority = @priority, status = @status, result = @result, updated = @now,
                        started = CASE WHEN @status = 1 THEN COALESCE(started, @now) WHEN @status = 0 THEN NULL ELSE started END,
                        job_guid = CASE WHEN @status = 0 THEN NULL ELSE job_guid END,
                        robot_guid = CASE WHEN @status = 0 THEN NULL ELSE robot_guid END,
                        unique_name = @unique, waiting = @waiting, tags = @tags
                    WHERE id = @id
                    """,
                    ("@id", current.Id),
                    ("@name", name),
                    ("@description", change.Description ?? current.Description),
                    ("@comment", change.Comment ?? current.Comment),
                    ("@deadline", deadline),
                    ("@deadlineOrder", DeadlineOrder(deadline)),
                    ("@postponed", postponed),
                    ("@retries", change.Retries ?? current.Retries),
                    ("@parameters", change.Parameters ?? current.Parameters),
                    ("@priority", change.Priority ?? current.Priority),
                    ("@status", (int)status),
                    ("@result", change.Result ?? current.Result),
                    ("@now", now),
                    ("@unique", UniqueNow(queue)),
                    ("@waiting", Waits(status, postponed, now)),
                    ("@tags", change.Tags ?? current.Tags));
                tx.Moved(current.Status, status);
                _window.Removed(PlaceOf(current));
                if (status == QueueTaskStatus.New && !Waits(status, postponed, now))
                {
                    _window.Eligible(new DispatchPlace(change.Priority ?? current.Priority, DeadlineOrder(deadline), current.Id));
                }

                if (Waits(status, postponed, now) && postponed < _nextRelease)
                {
                    _nextRelease = postponed;
                }

                if (status == QueueTaskStatus.Failed && current.Status != QueueTaskStatus.Failed && (change.Retries ?? current.Retries) > 0)
                {
                    await RetryAsync(tx, queue, current with { Name = name, Parameters = change.Parameters ?? current.Parameters, Retries = change.Retries ?? current.Retries }, now);
                }

                return WriteResult.Done;
            },
            WriteResult.NameTaken);
    }

    public Task<WriteResult> DeleteTaskAsync(long accountId, Guid task)
    {
        if (!IsOwnedBy(accountId))
        {
            return Task.FromResult(WriteResult.NotFound);
        }

        var queueId = Record.Id;
        return WriteAsync(
            async tx =>
            {
                if (await FindTaskAsync(tx, queueId, task) is not { } current)
                {
                    return WriteResult.NotFound;
                }

                await tx.ExecuteAsync("UPDATE tasks SET is_deleted = 1, updated = @now WHERE id = @id", ("@id", current.Id), ("@now", Clock.Now));
                tx.Moved(current.Status, null);
                _window.Removed(PlaceOf(current));
                return WriteResult.Done;
            },
            WriteResult.Conflict);
    }

    public Task<WriteResult> TagTaskAsync(long accountId, Guid task, IReadOnlyList<string> add, IReadOnlyList<string> remove)
    {
        if (!IsOwnedBy(accountId))
        {
            return Task.FromResult(WriteResult.NotFound);
        }

        var queueId = Record.Id;
        return WriteAsync(
            async tx =>
            {
                if (await FindTaskAsync(tx, queueId, task) is not { } current)
                {
                    return WriteResult.NotFound;
                }

                var tags = TaskRecords.TagsOf(current.Tags).Concat(add).Where(t => !remove.Contains(t, StringComparer.Ordinal));
                await tx.ExecuteAsync(
                    "UPDATE tasks SET tags = @tags, updated = @now WHERE id = @id", ("@id", current.Id), ("@tags", TaskRecords.StoredTags(tags)), ("@now", Clock.Now));
                return WriteResult.Done;
            },
            WriteResult.Conflict);
    }

    public Task<int> FailTasksOfJobAsync(Guid job)
    {
        if (Record is not { AutoChangeStatus: true } queue)
        {
            return Task.FromResult(0);
        }

        return WriteAsync(
            async tx =>
            {
                var now = Clock.Now;
                var running = await tx.QueryAsync(
                    $"SELECT {TaskRecords.Columns} FROM tasks t WHERE t.job_guid = @job AND t.queue_id = @queue AND t.status = 1 AND t.is_deleted = 0",
                    TaskRecords.Map,
                    ("@job", job),
                    ("@queue", queue.Id));
                foreach (var task in running)
                {
                    await tx.ExecuteAsync("UPDATE tasks SET status = 3, updated = @now WHERE id = @id", ("@id", task.Id), ("@now", now));
                    tx.Moved(QueueTaskStatus.InProgress, QueueTaskStatus.Failed);
                    if (task.Retries > 0)
                    {
                        await RetryAsync(tx, queue, task, now);
                    }
                }

                return running.Count;
            },
            0);
    }

    public Task<int> AbandonOverdueAsync()
    {
        if (Record is null)
        {
            return Task.FromResult(0);
        }

        var queueId = Record.Id;
        _nextAbandonSweep = Clock.Now + SweepInterval;
        return WriteAsync(tx => AbandonOverdueAsync(tx, queueId, Clock.Now), 0);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Record is null)
        {
            if (await this.GetReminder(reminderName) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        await AbandonOverdueAsync();
        if ((await queues.CountsAsync(Record.Id))[(int)QueueTaskStatus.InProgress] == 0 && await this.GetReminder(AbandonReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _reminderSet = false;
        }
    }

    /// <summary>The order value of a deadline: soonest first, tasks without one last.</summary>
    private static long DeadlineOrder(DateTimeOffset? deadline) => deadline?.ToUnixTimeMilliseconds() ?? long.MaxValue;

    private TimeSpan SweepInterval => _options.AbandonAfter < TimeSpan.FromMinutes(1) ? _options.AbandonAfter : TimeSpan.FromMinutes(1);

    private bool SweepDue()
    {
        var now = Clock.Now;
        if (now < _nextAbandonSweep)
        {
            return false;
        }

        _nextAbandonSweep = now + SweepInterval;
        return true;
    }

    private Task SweepIfDueAsync() => SweepDue() ? AbandonOverdueAsync() : Task.CompletedTask;

    /// <summary>A queue with tasks in progress keeps a reminder, so tasks are abandoned even when nothing wakes the queue.</summary>
    private async Task EnsureReminderAsync()
    {
        if (!_reminderSet)
        {
            // Set before the await: takes that interleave meanwhile need not register it again.
            _reminderSet = true;
            try
            {
                await this.RegisterOrUpdateReminder(AbandonReminder, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
            }
            catch
            {
                _reminderSet = false;
                throw;
            }
        }
    }

    /// <summary>A New task postponed to a time not yet reached waits outside the dispatch index.</summary>
    private static bool Waits(QueueTaskStatus status, DateTimeOffset? postponed, DateTimeOffset now) =>
        status == QueueTaskStatus.New && postponed > now;

    /// <summary>Moves the waiting tasks whose time has come into the dispatch index, and notes when the next one's comes.</summary>
    private async Task ReleaseWaitingAsync(TaskTransaction tx, long queueId, DateTimeOffset now)
    {
        var released = await tx.QueryAsync(
            """
            UPDATE tasks SET waiting = 0 WHERE queue_id = @queue AND status = 0 AND is_deleted = 0 AND waiting = 1 AND postponed <= @now
            RETURNING id, priority, deadline_order
            """,
            DispatchStatements.ReadPlace,
            ("@queue", queueId),
            ("@now", now));
        foreach (var place in released)
        {
            _window.Eligible(place);
        }

        var next = await tx.ScalarAsync(
            "SELECT MIN(postponed) FROM tasks WHERE queue_id = @queue AND status = 0 AND is_deleted = 0 AND waiting = 1", ("@queue", queueId));
        _nextRelease = next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.MaxValue;
    }

    private async Task<int> AbandonOverdueAsync(TaskTransaction tx, long queueId, DateTimeOffset now)
    {
        var abandoned = await tx.ExecuteAsync(
            "UPDATE tasks SET status = 4, updated = @now WHERE queue_id = @queue AND status = 1 AND is_deleted = 0 AND started <= @cutoff",
            ("@queue", queueId),
            ("@now", now),
            ("@cutoff", now - _options.AbandonAfter));
        tx.Moved(QueueTaskStatus.InProgress, QueueTaskStatus.Abandoned, abandoned);
        return abandoned;
    }

    /// <summary>The failed task becomes Retried and a copy with one retry less takes its place as New.</summary>
    private async Task RetryAsync(TaskTransaction tx, QueueRecord queue, TaskRecord failed, DateTimeOffset now)
    {
        await tx.ExecuteAsync("UPDATE tasks SET status = 5, updated = @now WHERE id = @id", ("@id", failed.Id), ("@now", now));
        tx.Moved(QueueTaskStatus.Failed, QueueTaskStatus.Retried);
        var retry = new TaskDraft(
            Guid.NewGuid(), failed.Name, failed.Description, failed.Comment, failed.Deadline, failed.Postponed, failed.Retries - 1, failed.Priority, failed.Parameters, failed.Tags);
        await InsertTaskAsync(tx, queue, retry, now, failed.Id);
    }

    /// <summary>Inserts a batch of this queue's tasks and keeps the queue's counters and read-ahead in step; answers their ids in order.</summary>
    private async Task<List<long>> InsertTasksAsync(TaskTransaction tx, QueueRecord queue, IReadOnlyList<TaskDraft> tasks, DateTimeOffset now)
    {
        var ids = await InsertRowsAsync(tx, queue, UniqueNow(queue), tasks, now, _rowsPerInsert);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            tx.Moved(null, QueueTaskStatus.New);
            if (!Waits(QueueTaskStatus.New, task.Postponed, now))
            {
                _window.Eligible(new DispatchPlace(task.Priority, DeadlineOrder(task.Deadline), ids[i]));
            }
            else if (task.Postponed < _nextRelease)
            {
                _nextRelease = task.Postponed;
            }
        }

        return ids;
    }

    /// <summary>Inserts a batch of tasks of <paramref name="queue"/> with multi-row statements rather than one round trip per task; answers their ids in order.</summary>
    private static async Task<List<long>> InsertRowsAsync(
        TaskTransaction tx, QueueRecord queue, bool unique, IReadOnlyList<TaskDraft> tasks, DateTimeOffset now, int rowsPerStatement)
    {
        var ids = new Dictionary<Guid, long>(tasks.Count);
        for (var start = 0; start < tasks.Count; start += rowsPerStatement)
        {
            var chunk = tasks.Skip(start).Take(rowsPerStatement).ToList();
            var sql = new System.Text.StringBuilder(
                """
                INSERT INTO tasks (guid, account_id, queue_id, name, description, comment, status, priority, created, postponed,
                    deadline, deadline_order, updated, retries, parent_task, tags, parameters, unique_name, waiting)
                VALUES
                """);
            var parameters = new List<(string, object?)>(3 + (chunk.Count * 12)) { ("@account", queue.AccountId), ("@queue", queue.Id), ("@now", now), ("@unique", unique) };
            for (var i = 0; i < chunk.Count; i++)
            {
                var task = chunk[i];
                sql.Append(i == 0 ? "\n" : ",\n").Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"(@g{i}, @account, @queue, @n{i}, @de{i}, @c{i}, 0, @p{i}, @now, @po{i}, @dl{i}, @do{i}, @now, @r{i}, NULL, @t{i}, @pa{i}, @unique, @w{i})");
                parameters.Add(($"@g{i}", task.Guid));
                parameters.Add(($"@n{i}", task.Name));
                parameters.Add(($"@de{i}", task.Description));
                parameters.Add(($"@c{i}", task.Comment));
                parameters.Add(($"@p{i}", task.Priority));
                parameters.Add(($"@po{i}", task.Postponed));
                parameters.Add(($"@dl{i}", task.Deadline));
                parameters.Add(($"@do{i}", DeadlineOrder(task.Deadline)));
                parameters.Add(($"@r{i}", task.Retries));
                parameters.Add(($"@t{i}", task.Tags));
                parameters.Add(($"@pa{i}", task.Parameters));
                parameters.Add(($"@w{i}", Waits(QueueTaskStatus.New, task.Postponed, now)));
            }

            sql.Append("\nRETURNING id, guid");
            foreach (var (guid, id) in await tx.QueryAsync(sql.ToString(), r => (r.Guid("guid"), r.Long("id")), [.. parameters]))
            {
                ids[guid] = id;
            }
        }

        return [.. tasks.Select(t => ids[t.Guid])];
    }

    private async Task<long> InsertTaskAsync(TaskTransaction tx, QueueRecord queue, TaskDraft task, DateTimeOffset now, long? parent)
    {
        var id = await tx.ScalarAsync(
            """
            INSERT INTO tasks (guid, account_id, queue_id, name, description, comment, status, priority, created, postponed,
                deadline, deadline_order, updated, retries, parent_task, tags, parameters, unique_name, waiting)
            VALUES (@guid, @account, @queue, @name, @description, @comment, 0, @priority, @now, @postponed,
                @deadline, @deadlineOrder, @now, @retries, @parent, @tags, @parameters, @unique, @waiting)
            RETURNING id
            """,
            ("@guid", task.Guid),
            ("@account", queue.AccountId),
            ("@queue", queue.Id),
            ("@name", task.Name),
            ("@description", task.Description),
            ("@comment", task.Comment),
            ("@priority", task.Priority),
            ("@now", now),
            ("@postponed", task.Postponed),
            ("@deadline", task.Deadline),
            ("@deadlineOrder", DeadlineOrder(task.Deadline)),
            ("@retries", task.Retries),
            ("@parent", parent),
            ("@tags", task.Tags),
            ("@parameters", task.Parameters),
            ("@unique", UniqueNow(queue)),
            ("@waiting", Waits(QueueTaskStatus.New, task.Postponed, now)));
        tx.Moved(null, QueueTaskStatus.New);
        if (!Waits(QueueTaskStatus.New, task.Postponed, now))
        {
            _window.Eligible(new DispatchPlace(task.Priority, DeadlineOrder(task.Deadline), id!.Value));
        }
        else if (task.Postponed < _nextRelease)
        {
            _nextRelease = task.Postponed;
        }

        return id!.Value;
    }

    /// <summary>
    /// Takes the first task of the window that is still eligible, fetching the window's next places when it runs
    /// out; before calling the queue empty, a fetch that found nothing after the cursors looks once more from the top.
    /// With <paramref name="jobOfAccount"/>, the take itself also requires the job to be that account's and Running
    /// (and the robot, when given, the account's): when it is not, nothing is taken and the answer is refused.
    /// </summary>
    private async Task<(TaskRecord? Task, bool Refused)> TakeNextAsync(
        TaskTransaction tx, long queueId, DateTimeOffset now, Guid? job, Guid? robot, long? jobOfAccount, AheadStatement? ahead)
    {
        // The statement sent ahead for this take's place has run already: its answer first.
        var sent = ahead is { Rows: { } rows, Place: { } aheadPlace } ? (aheadPlace, rows) : ((DispatchPlace, List<object>)?)null;
        var restarted = false;
        while (true)
        {
            while (true)
            {
                DispatchPlace place;
                List<TaskRecord> taken;
                if (sent is var (sentPlace, sentRows))
                {
                    place = sentPlace;
                    taken = sentRows.Cast<TaskRecord>().ToList();
                    sent = null;
                }
                else if (_window.TryTake(out place))
                {
                    taken = await tx.QueryAsync(DispatchStatements.TakeStatement(jobOfAccount, robot), TaskRecords.Map, DispatchStatements.TakeParameters(place, queueId, now, job, robot, jobOfAccount));
                }
                else
                {
                    break;
                }

                if (taken.Count > 0)
                {
                    return (taken[0], false);
                }

                // Nothing taken: the place was stale (the task is gone), or the job (or robot) did not pass, and then
                // the task is still New and keeps its place.
                if (jobOfAccount is { } of && !await JobIsRunningAsync(tx, of, job!.Value, robot))
                {
                    _window.Eligible(place);
                    return (null, true);
                }
            }

            var parameters = new List<(string, object?)> { ("@queue", queueId), ("@size", _window.Size) };
            foreach (var priority in DispatchWindow.Priorities)
            {
                var (deadline, id) = _window.CursorOf(priority);
                parameters.Add(($"@d{priority}", deadline));
                parameters.Add(($"@i{priority}", id));
            }

            var fetched = await tx.QueryAsync(DispatchStatements.FetchPlaces, DispatchStatements.ReadPlace, [.. parameters]);
            if (fetched.Count == 0)
            {
                if (restarted || _window.FromTop)
                {
                    // No task to take: a job that does not pass is still told so, as when there is one.
                    return (null, jobOfAccount is { } of && !await JobIsRunningAsync(tx, of, job!.Value, robot));
                }

                _window.Reset();
                restarted = true;
                continue;
            }

            _window.Fill(fetched);
        }
    }

    private static async Task<bool> JobIsRunningAsync(TaskTransaction tx, long accountId, Guid job, Guid? robot) =>
        robot is { } robotGuid
            ? await tx.ScalarAsync(DispatchStatements.JobRunningAndRobot, ("@job", job), ("@account", accountId), ("@robot", robotGuid)) is not null
            : await tx.ScalarAsync(DispatchStatements.JobRunning, ("@job", job), ("@account", accountId)) is not null;

    /// <summary>Soft-deletes every task of the queue, <see cref="DeleteChunk"/> rows a transaction, walking the ids forward.</summary>
    private async Task DeleteTasksAsync(long queueId)
    {
        var after = 0L;
        while (true)
        {
            List<long> deleted;
            await using (var tx = await TaskTransaction.BeginAsync(database))
            {
                deleted = await tx.QueryAsync(
                    """
                    UPDATE tasks SET is_deleted = 1, updated = @now
                    WHERE id IN (SELECT id FROM tasks WHERE queue_id = @queue AND is_deleted = 0 AND id > @after ORDER BY id LIMIT @chunk)
                    RETURNING id
                    """,
                    r => r.Long("id"),
                    ("@queue", queueId),
                    ("@after", after),
                    ("@chunk", DeleteChunk),
                    ("@now", Clock.Now));
                await tx.CommitAsync(queueId);
            }

            if (deleted.Count < DeleteChunk)
            {
                return;
            }

            after = deleted.Max();
        }
    }

    /// <summary>A change that only ends a task: Status Successful or Failed, and perhaps a Result.</summary>
    private static bool IsCompletion(TaskChange change) =>
        change is { Status: QueueTaskStatus.Successful or QueueTaskStatus.Failed, Name: null, Description: null, Comment: null, Deadline: null, Retries: null, Parameters: null, Priority: null, Postponed: null, Tags: null };

    /// <summary>
    /// The robot's completion of a task it took, in one statement: the UPDATE itself checks the task is InProgress,
    /// and answers the row for the retry a failure may spawn. Null when the task is not InProgress (or not found),
    /// for the general path to decide.
    /// </summary>
    private async Task<WriteResult?> CompleteInProgressAsync(
        TaskTransaction tx, QueueRecord queue, Guid task, TaskChange change, DateTimeOffset now, AheadStatement? ahead)
    {
        // Only the retries come back: the whole row is read for the rare failure that spawns a retry.
        var retries = ahead is { Rows: { } sent }
            ? sent.Count > 0 ? (long?)sent[0] : null
            : await tx.ScalarAsync(DispatchStatements.CompleteIfInProgress, DispatchStatements.CompletionParameters(queue, task, change, now));
        if (retries is null)
        {
            return null;
        }

        var status = change.Status!.Value;
        tx.Moved(QueueTaskStatus.InProgress, status);
        if (status == QueueTaskStatus.Failed && retries > 0 && await FindTaskAsync(tx, queue.Id, task) is { } completed)
        {
            await RetryAsync(tx, queue, completed, now);
        }

        return WriteResult.Done;
    }

    /// <summary>
    /// The take's statement for the next place of the window, to be sent ahead with the batch's others; null when the
    /// window holds none (the take then reads the order itself) or when waiting tasks are due for release first.
    /// </summary>
    private AheadStatement? PlanTake(long queueId, Guid? job, Guid? robot, long? jobOfAccount)
    {
        if (_nextRelease is not { } release || release <= Clock.Now || !_window.TryTake(out var place))
        {
            return null;
        }

        return new AheadStatement(DispatchStatements.TakeStatement(jobOfAccount, robot), DispatchStatements.TakeParameters(place, queueId, Clock.Now, job, robot, jobOfAccount), r => TaskRecords.Map(r)) { Place = place };
    }

    private static DispatchPlace PlaceOf(TaskRecord task) => new(task.Priority, DeadlineOrder(task.Deadline), task.Id);

    private static async Task<TaskRecord?> FindTaskAsync(TaskTransaction tx, long queueId, Guid task) =>
        (await tx.QueryAsync(
            $"SELECT {TaskRecords.Columns} FROM tasks t WHERE t.guid = @guid AND t.queue_id = @queue AND t.is_deleted = 0",
            TaskRecords.Map,
            ("@guid", task),
            ("@queue", queueId))).FirstOrDefault();

    private static async Task<bool> NameIsLiveAsync(TaskTransaction tx, long queueId, string name, long exceptId) =>
        await tx.ScalarAsync(
            "SELECT id FROM tasks WHERE queue_id = @queue AND name = @name AND unique_name = 1 AND is_deleted = 0 AND status IN (0, 1) AND id <> @except LIMIT 1",
            ("@queue", queueId),
            ("@name", name),
            ("@except", exceptId)) is not null;

    /// <summary>The index of the first task whose name is already live in the queue or repeats an earlier one of the batch; -1 when none.</summary>
    private static async Task<int> FirstTakenNameAsync(TaskTransaction tx, long queueId, IReadOnlyList<TaskDraft> tasks)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            if (!seen.Add(tasks[i].Name) || await NameIsLiveAsync(tx, queueId, tasks[i].Name, 0))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in the next group-commit transaction and answers its result once that
    /// transaction has committed. Should the database still refuse the batch for a unique name (two writers
    /// racing past the in-transaction checks), each write of the batch is retried alone, and the one refused
    /// answers <paramref name="onNameTaken"/> with nothing of it stored.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<TaskTransaction, Task<T>> write, T onNameTaken) =>
        WriteAsync(null, (tx, _) => write(tx), onNameTaken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{TaskTransaction, Task{T}}, T)"/>, for a write whose first statement can be sent
    /// ahead: <paramref name="plan"/>, called when its batch begins, gives it (or null), and <paramref name="write"/>
    /// gets it back with its rows once it has run.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<AheadStatement?>? plan, Func<TaskTransaction, AheadStatement?, Task<T>> write, T onNameTaken)
    {
        var pending = new PendingWrite<T>(plan, write, onNameTaken);
        _pending.Add(pending);
        _committing ??= CommitPendingAsync();
        return pending.Answer;
    }

    private async Task CommitPendingAsync()
    {
        try
        {
            // Let the calls already waiting to enter the grain join this first batch.
            await Task.Yield();
            while (_pending.Count > 0)
            {
                var batch = _pending;
                _pending = [];
                await CommitAsync(batch);
            }
        }
        finally
        {
            _committing = null;
        }
    }

    private async Task CommitAsync(List<IPendingWrite> batch, int attempt = 1)
    {
        var queueId = Record?.Id ?? 0;

        // Each attempt starts from the row as committed: an edit undone with its batch is run again, or fails.
        _piped = null;
        try
        {
            // The kept writer pays for statements that come back batch after batch (takes, completions); a batch with
            // other writes (a bulk insert, an edit) runs on a pooled connection, as all did before.
            var writer = batch.TrueForAll(w => w.Repeats) ? _writer : null;
            if (writer is null)
            {
                tasks.BatchConnectionOpened(kept: false);
            }
            await using (var tx = await TaskTransaction.BeginAsync(database, writer))
            {
                foreach (var write in batch)
                {
                    write.Forget();
                }

                if (database.Kind == DatabaseKind.PostgreSql && batch.Count > 1)
                {
                    tasks.SentAhead(await AheadCommand.SendAsync(tx, batch, _window));
                }

                foreach (var write in batch)
                {
                    await write.RunAsync(tx);
                }

                await tx.CommitAsync(queueId);
            }

            // A queue deleted meanwhile stays deleted.
            if (_piped is { } piped && Record is not null)
            {
                Record = piped;
            }

            _piped = null;
            foreach (var write in batch)
            {
                write.Acknowledge();
            }
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            // What the batch did is undone: a task it took is New again, so the window forgets what it holds.
            _nextRelease = null;
            _window.Reset();
            if (batch.Count == 1)
            {
                batch[0].RefuseName();
                return;
            }

            logger.LogInformation("A batch of {Count} task writes met a unique name; committing them one by one", batch.Count);
            foreach (var write in batch)
            {
                await CommitAsync([write]);
            }
        }
        catch (Exception e) when (attempt < MaxCommitAttempts && OrchestratorDatabase.IsTransient(e))
        {
            // A deadlock, a serialization failure or a busy database undid the whole batch and nothing of it was
            // answered, so it runs again; the writes re-read what they decide on inside the new transaction, on a
            // connection opened afresh.
            _nextRelease = null;
            _window.Reset();
            await CloseWriterAsync();
            logger.LogWarning(e, "A batch of {Count} task writes met a transient database error (attempt {Attempt}); retrying", batch.Count, attempt);
            await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt));
            await CommitAsync(batch, attempt + 1);
        }
        catch (Exception e)
        {
            _nextRelease = null;
            _window.Reset();
            await CloseWriterAsync();
            foreach (var write in batch)
            {
                write.Fail(e);
            }
        }
    }

    private async Task CloseWriterAsync()
    {
        if (_writer is { } writer)
        {
            try
            {
                await writer.CloseAsync();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The queue's writer connection did not close cleanly");
            }
        }
    }
}
