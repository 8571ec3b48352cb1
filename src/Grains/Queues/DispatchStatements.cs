using System.Data.Common;
using Orchestrator.Jobs;
using Orchestrator.Storage;

namespace Orchestrator.Queues;

/// <summary>The statements of a queue's hot path: reading the dispatch order ahead, taking a task by its place, completing it.</summary>
internal static class DispatchStatements
{
    /// <summary>
    /// The job is a live Running job of the account. A job's grain answers Running only once its row says so, and
    /// its row changes before its memory does, so this is as strict as asking the grain, and stricter: on SQLite the
    /// batch holds the write lock, so the job cannot end between this check and the take's commit.
    /// </summary>
    public static readonly string JobRunning =
        $"SELECT 1 FROM jobs WHERE guid = @job AND account_id = @account AND status = {(int)JobStatus.Running} AND is_deleted = 0";

    /// <summary><see cref="JobRunning"/> on that robot: a live robot of the account, and the one that holds the job.</summary>
    public static readonly string JobRunningAndRobot =
        $"{JobRunning} AND robot_id = (SELECT id FROM robots WHERE guid = @robot AND account_id = @account AND is_deleted = 0)";

    /// <summary>Takes one task by id, re-checking in the statement itself that it is still New and eligible.</summary>
    public static readonly string TakeById = TakeByIdIf(string.Empty);

    /// <summary><see cref="TakeById"/> only while the job is <see cref="JobRunning"/>: the check costs no statement of its own.</summary>
    public static readonly string TakeByIdForJob = TakeByIdIf($" AND EXISTS ({JobRunning})");

    /// <summary><see cref="TakeById"/> only while <see cref="JobRunningAndRobot"/>.</summary>
    public static readonly string TakeByIdForJobAndRobot = TakeByIdIf($" AND EXISTS ({JobRunningAndRobot})");

    /// <summary>The next places of the dispatch order after each priority's cursor, read from <c>ix_tasks_next</c>.</summary>
    public static readonly string FetchPlaces = string.Join(
        " UNION ALL ",
        DispatchWindow.Priorities.Select(p =>
            $"""
            SELECT id, priority, deadline_order FROM (
                SELECT id, priority, deadline_order FROM tasks
                WHERE queue_id = @queue AND status = 0 AND is_deleted = 0 AND waiting = 0 AND priority = {p}
                  AND (deadline_order, id) > (@d{p}, @i{p})
                ORDER BY deadline_order, id LIMIT @size) AS p{p}
            """));

    private static string TakeByIdIf(string condition) =>
        $"""
        UPDATE tasks SET status = 1, started = @now, updated = @now, job_guid = @job, robot_guid = @robot
        WHERE id = @id AND queue_id = @queue AND status = 0 AND is_deleted = 0 AND waiting = 0{condition}
        RETURNING {TaskRecords.ReturnedColumns}
        """;

    /// <summary>The robot's completion: the UPDATE itself checks the task is InProgress, and answers its retries.</summary>
    public const string CompleteIfInProgress =
        """
        UPDATE tasks SET status = @status, result = COALESCE(@result, result), updated = @now
        WHERE guid = @guid AND queue_id = @queue AND status = 1 AND is_deleted = 0
        RETURNING retries
        """;

    public static (string, object?)[] CompletionParameters(QueueRecord queue, Guid task, TaskChange change, DateTimeOffset now) =>
        [("@status", (int)change.Status!.Value), ("@result", change.Result), ("@now", now), ("@guid", task), ("@queue", queue.Id)];

    public static object ReadRetries(DbDataReader r) => r.GetInt64(0);

    public static string TakeStatement(long? jobOfAccount, Guid? robot) =>
        jobOfAccount is null ? TakeById : robot is null ? TakeByIdForJob : TakeByIdForJobAndRobot;

    public static (string, object?)[] TakeParameters(DispatchPlace place, long queueId, DateTimeOffset now, Guid? job, Guid? robot, long? jobOfAccount) =>
        jobOfAccount is { } account
            ? [("@id", place.Id), ("@queue", queueId), ("@now", now), ("@job", job), ("@robot", robot), ("@account", account)]
            : [("@id", place.Id), ("@queue", queueId), ("@now", now), ("@job", job), ("@robot", robot)];

    public static DispatchPlace ReadPlace(DbDataReader r) => new(r.Int("priority"), r.Long("deadline_order"), r.Long("id"));
}
