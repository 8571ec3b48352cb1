using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Queues;

/// <summary>
/// One queue: the only writer of its record and of its tasks' rows, and the dispatcher that hands each task
/// out once. Keyed by the queue's GUID; a queue of another account answers as if it did not exist. Every
/// task write is committed before the call returns; writes that arrive together share one transaction.
/// </summary>
[Alias("orchestrator.queue")]
public interface IQueueGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(QueueDraft draft);

    [Alias("get"), ReadOnly]
    Task<QueueInfo?> GetAsync(long accountId);

    /// <summary>Changes the queue; turning UniqueTasks on while two live tasks share a name is a name conflict.</summary>
    [Alias("update")]
    Task<WriteResult> UpdateAsync(long accountId, QueueChange change);

    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);

    /// <summary>Creates tasks, all or none; a name already live in a UniqueTasks queue is <see cref="WriteResult.NameTaken"/>.</summary>
    [Alias("create-tasks")]
    Task<TasksCreated> CreateTasksAsync(long accountId, IReadOnlyList<TaskDraft> tasks);

    /// <summary>
    /// Creates tasks of several queues of the account, all or none, in one transaction of this queue's grain:
    /// <paramref name="queueOfTask"/> names each task's queue (this one or another). A queue that is gone or not the
    /// account's is <see cref="WriteResult.NotFound"/> and a name clash <see cref="WriteResult.NameTaken"/>, with the
    /// index of the first task concerned.
    /// </summary>
    [Alias("create-tasks-in-queues")]
    Task<TasksCreated> CreateTasksInQueuesAsync(long accountId, IReadOnlyList<TaskDraft> tasks, IReadOnlyList<Guid> queueOfTask);

    /// <summary>Another queue's grain added tasks to this queue: the read-ahead of the dispatch order starts again from the top.</summary>
    [Alias("tasks-added")]
    Task TasksAddedAsync();

    /// <summary>Hands out the next eligible task, now InProgress and bound to <paramref name="job"/> when one is given.</summary>
    [Alias("take")]
    Task<TaskTaken> TakeAsync(long accountId, Guid? job, Guid? robot);

    /// <summary>
    /// As <see cref="TakeAsync"/> for a task bound to <paramref name="job"/>, checking in the take's own transaction
    /// that the job is a live job of the account and Running, and <paramref name="robot"/> (when given) a live robot
    /// of the account: the caller needs no call to the job's grain first, and no job ends between the check and the
    /// take. When either is not so, nothing is taken and the answer is <see cref="WriteResult.Conflict"/>; which
    /// answer the caller gets is then for it to find out.
    /// </summary>
    [Alias("take-for-job")]
    Task<TaskTaken> TakeForJobAsync(long accountId, Guid job, Guid? robot);

    /// <summary>Updates one of the queue's tasks; an illegal status transition is a <see cref="WriteResult.Conflict"/>.</summary>
    [Alias("update-task")]
    Task<WriteResult> UpdateTaskAsync(long accountId, Guid task, TaskChange change);

    [Alias("delete-task")]
    Task<WriteResult> DeleteTaskAsync(long accountId, Guid task);

    /// <summary>Adds and removes tags of one of the queue's tasks.</summary>
    [Alias("tag-task")]
    Task<WriteResult> TagTaskAsync(long accountId, Guid task, IReadOnlyList<string> add, IReadOnlyList<string> remove);

    /// <summary>
    /// AutoChangeStatus: the job ended Failed, Stopped or Aborted, so its InProgress tasks in this queue
    /// become Failed (and are retried when they may). Does nothing when the queue does not have AutoChangeStatus.
    /// Answers how many tasks it failed.
    /// </summary>
    [Alias("fail-tasks-of-job")]
    Task<int> FailTasksOfJobAsync(Guid job);

    /// <summary>Marks Abandoned every task InProgress for longer than the abandon window; answers how many.</summary>
    [Alias("abandon-overdue")]
    Task<int> AbandonOverdueAsync();
}
