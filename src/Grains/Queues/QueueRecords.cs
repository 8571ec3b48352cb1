using System.Data.Common;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Queues;

/// <summary>The queries on the <c>queues</c> table. The queue grain is the only caller that writes.</summary>
public sealed class QueueRecords(OrchestratorDatabase database)
    : RecordTable<QueueRecord>(database, "queues", QueueColumns, "updated")
{
    private const string QueueColumns = "id, guid, account_id, name, description, unique_tasks, auto_change_status, created, updated";

    private const string CountColumns = "count_new, count_in_progress, count_successful, count_failed, count_abandoned, count_retried";

    /// <summary>The counter column of each task status, in <see cref="QueueTaskStatus"/> order.</summary>
    public static readonly string[] CountColumnOf = CountColumns.Split(", ");

    public override async Task<QueueRecord> InsertAsync(QueueRecord queue) => queue with
    {
        Id = await Database.InsertAsync(
            """
            INSERT INTO queues (guid, account_id, name, description, unique_tasks, auto_change_status, created, updated)
            VALUES (@guid, @account, @name, @description, @unique, @auto, @now, @now)
            RETURNING id
            """,
            ("@guid", queue.Guid),
            ("@account", queue.AccountId),
            ("@name", queue.Name),
            ("@description", queue.Description),
            ("@unique", queue.UniqueTasks),
            ("@auto", queue.AutoChangeStatus),
            ("@now", queue.Created)),
    };

    /// <summary>Writes a queue's fields over its row; the queue grain also runs it inside a task transaction.</summary>
    public const string UpdateStatement =
        """
        UPDATE queues SET name = @name, description = @description, unique_tasks = @unique,
            auto_change_status = @auto, updated = @updated
        WHERE id = @id
        """;

    /// <summary>Whether another live queue of the account has the name: one statement, for a transaction's check.</summary>
    public const string NameTakenStatement =
        "SELECT id FROM queues WHERE account_id = @account AND name = @name AND is_deleted = 0 AND id <> @id LIMIT 1";

    public override Task<int> UpdateAsync(QueueRecord queue) => Database.ExecuteAsync(UpdateStatement, UpdateParameters(queue));

    public static (string Name, object? Value)[] UpdateParameters(QueueRecord queue) =>
    [
        ("@id", queue.Id),
        ("@name", queue.Name),
        ("@description", queue.Description),
        ("@unique", queue.UniqueTasks),
        ("@auto", queue.AutoChangeStatus),
        ("@updated", queue.Updated),
    ];

    public static (string Name, object? Value)[] NameTakenParameters(QueueRecord queue) =>
        [("@account", queue.AccountId), ("@name", queue.Name), ("@id", queue.Id)];

    /// <summary>The live queue of that name in the account.</summary>
    public Task<Guid?> FindGuidByNameAsync(long accountId, string name) =>
        Database.QueryGuidAsync(
            "SELECT guid FROM queues WHERE account_id = @account AND name = @name AND is_deleted = 0", ("@account", accountId), ("@name", name));

    /// <summary>How many live tasks the queue has in each status, in <see cref="QueueTaskStatus"/> order.</summary>
    public async Task<long[]> CountsAsync(long queueId) =>
        (await Database.QueryAsync($"SELECT {CountColumns} FROM queues WHERE id = @id", ReadCounts, ("@id", queueId))).FirstOrDefault() ?? new long[6];

    /// <summary>One account's queues in id order, with their task counts.</summary>
    public Task<List<QueueInfo>> ListAsync(long accountId, int skip, int? take) =>
        Database.QueryAsync(
            $"SELECT {Columns}, {CountColumns} FROM queues WHERE account_id = @account AND is_deleted = 0 ORDER BY id LIMIT @take OFFSET @skip",
            r => Info(Map(r), ReadCounts(r)),
            ("@account", accountId),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));

    public static QueueInfo Info(QueueRecord q, IReadOnlyList<long> counts) =>
        new(q.Id, q.Guid, q.AccountId, q.Name, q.Description, q.UniqueTasks, q.AutoChangeStatus, q.Created, q.Updated, counts);

    protected override QueueRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Text("name"),
        r.Text("description"),
        r.Flag("unique_tasks"),
        r.Flag("auto_change_status"),
        r.Time("created"),
        r.Time("updated"));

    private static long[] ReadCounts(DbDataReader r) => CountColumnOf.Select(r.Long).ToArray();
}
