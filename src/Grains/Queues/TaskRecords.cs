using System.Data.Common;
using System.Globalization;
using System.Text;
using Orchestrator.Storage;

namespace Orchestrator.Queues;

/// <summary>
/// The queries on the <c>tasks</c> table. Reads and filters query the rows directly; only the queue grain
/// writes them (through <see cref="TaskTransaction"/>).
/// </summary>
public sealed class TaskRecords(OrchestratorDatabase database)
{
    private long _sentAhead;
    private long _batchConnectionsOpened;
    private long _writersOpen;

    public const string Columns =
        "t.id, t.guid, t.account_id, t.queue_id, t.name, t.description, t.comment, t.status, t.job_guid, t.robot_guid, t.priority, " +
        "t.created, t.started, t.postponed, t.deadline, t.updated, t.retries, t.parent_task, t.tags, t.parameters, t.result";

    /// <summary>The columns of <see cref="Columns"/> without the table alias, for <c>RETURNING</c>.</summary>
    public static readonly string ReturnedColumns = Columns.Replace("t.", string.Empty, StringComparison.Ordinal);

    /// <summary>
    /// Statements of takes and completions that queue grains sent ahead, several in one command (PostgreSQL), since
    /// start; lets tests and benchmarks see batches being pipelined.
    /// </summary>
    public long StatementsSentAhead => Interlocked.Read(ref _sentAhead);

    internal void SentAhead(int statements) => Interlocked.Add(ref _sentAhead, statements);

    /// <summary>
    /// Connections queue grains opened for their batches since start, kept writers and pooled ones alike: a queue that
    /// keeps its writer opens one for many batches.
    /// </summary>
    public long BatchConnectionsOpened => Interlocked.Read(ref _batchConnectionsOpened);

    /// <summary>SQLite: the writer connections queue grains keep open now.</summary>
    public long WritersOpen => Interlocked.Read(ref _writersOpen);

    internal void BatchConnectionOpened(bool kept)
    {
        Interlocked.Increment(ref _batchConnectionsOpened);
        if (kept)
        {
            Interlocked.Increment(ref _writersOpen);
        }
    }

    internal void WriterClosed() => Interlocked.Decrement(ref _writersOpen);

    /// <summary>The live task with that GUID in the account, in a live queue.</summary>
    public Task<TaskRecord?> FindAsync(long accountId, Guid guid) =>
        database.QuerySingleAsync(
            $"""
            SELECT {Columns} FROM tasks t JOIN queues q ON q.id = t.queue_id
            WHERE t.guid = @guid AND t.account_id = @account AND t.is_deleted = 0 AND q.is_deleted = 0
            """,
            Map,
            ("@guid", guid),
            ("@account", accountId));

    /// <summary>The newest live task of that name in the account (in one queue when <paramref name="queueId"/> is given).</summary>
    public Task<TaskRecord?> FindByNameAsync(long accountId, string name, long? queueId = null) =>
        database.QuerySingleAsync(
            $"""
            SELECT {Columns} FROM tasks t JOIN queues q ON q.id = t.queue_id
            WHERE t.account_id = @account AND t.name = @name AND t.is_deleted = 0 AND q.is_deleted = 0
              {(queueId is null ? "" : "AND t.queue_id = @queue")}
            ORDER BY t.id DESC LIMIT 1
            """,
            Map,
            ("@account", accountId),
            ("@name", name),
            ("@queue", queueId ?? 0));

    /// <summary>
    /// The live task a reference names — its GUID, else its name (the newest live task of that name, in one queue
    /// when <paramref name="queueId"/> is given), else, with <paramref name="orId"/>, its numeric id — with the GUID of
    /// the queue whose grain writes it. A number is a name first: the vendor document reads the task named <c>123</c>.
    /// </summary>
    public async Task<(TaskRecord Task, Guid Queue)?> LocateAsync(long accountId, string reference, long? queueId = null, bool orId = false)
    {
        var text = reference.Trim();
        var byGuid = System.Guid.TryParse(text, out var guid);
        var found = await LocateWhereAsync(accountId, byGuid ? "t.guid = @key" : "t.name = @key", byGuid ? guid : text, byGuid ? null : queueId);
        if (found is null && orId && !byGuid && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            found = await LocateWhereAsync(accountId, "t.id = @key", id, queueId);
        }

        return found;
    }

    private async Task<(TaskRecord Task, Guid Queue)?> LocateWhereAsync(long accountId, string match, object key, long? queueId)
    {
        var rows = await database.QueryAsync(
            $"""
            SELECT {Columns}, q.guid AS queue_guid FROM tasks t JOIN queues q ON q.id = t.queue_id
            WHERE t.account_id = @account AND t.is_deleted = 0 AND q.is_deleted = 0 AND {match}
              {(queueId is null ? "" : "AND t.queue_id = @queue")}
            ORDER BY t.id DESC LIMIT 1
            """,
            r => (Map(r), r.Guid("queue_guid")),
            ("@account", accountId),
            ("@key", key),
            ("@queue", queueId ?? 0));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The GUIDs of the live queues holding InProgress tasks of the job: the queues to tell when the job ends badly.</summary>
    public Task<List<Guid>> QueuesWithTasksOfJobAsync(Guid job) =>
        database.QueryAsync(
            """
            SELECT DISTINCT q.guid FROM tasks t JOIN queues q ON q.id = t.queue_id
            WHERE t.job_guid = @job AND t.status = 1 AND t.is_deleted = 0 AND q.is_deleted = 0
            """,
            r => r.Guid("guid"),
            ("@job", job));

    /// <summary>One queue's live tasks that pass the filter, in id order.</summary>
    public Task<List<TaskRecord>> FilterAsync(long queueId, TaskFilter filter)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM tasks t WHERE t.queue_id = @queue AND t.is_deleted = 0");
        var parameters = new List<(string, object?)> { ("@queue", queueId) };
        void Where(string condition, string name, object? value)
        {
            sql.Append(" AND ").Append(condition);
            parameters.Add((name, value));
        }

        if (filter.Status is { } status)
        {
            Where("t.status = @status", "@status", (int)status);
        }

        if (filter.Tag is { } tag)
        {
            // Tags match exactly, case and all, as addTag and removeTag treat them, on both databases (SQLite's LIKE ignores case).
            Where(database.Kind == DatabaseKind.Sqlite ? "instr(t.tags, @tag) > 0" : "strpos(t.tags, @tag) > 0", "@tag", ";" + tag + ";");
        }

        if (filter.NamePrefix is { } prefix)
        {
            Where("substr(t.name, 1, length(@prefix)) = @prefix", "@prefix", prefix);
        }

        if (filter.Name is { } name)
        {
            Where("t.name = @name", "@name", name);
        }

        if (filter.Guid is { } guid)
        {
            Where("t.guid = @guid", "@guid", guid);
        }

        if (filter.Priority is { } priority)
        {
            Where("t.priority = @priority", "@priority", priority);
        }

        if (filter.Job is { } job)
        {
            Where("t.job_guid = @job", "@job", job);
        }

        if (filter.CreatedFrom is { } from)
        {
            Where("t.created >= @from", "@from", from);
        }

        if (filter.CreatedTo is { } to)
        {
            Where("t.created <= @to", "@to", to);
        }

        if (filter.DeadlineBefore is { } before)
        {
            Where("t.deadline < @before", "@before", before);
        }

        if (filter.After is { } after)
        {
            Where("t.id > @after", "@after", after);
        }

        sql.Append(" ORDER BY t.id LIMIT @take OFFSET @skip");
        parameters.Add(("@take", filter.Take));
        parameters.Add(("@skip", filter.Skip));
        return database.QueryAsync(sql.ToString(), Map, [.. parameters]);
    }

    /// <summary>Tags are stored as <c>;a;b;</c>, so that one tag is matched as <c>%;tag;%</c>.</summary>
    public static string StoredTags(IEnumerable<string> tags)
    {
        var list = tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? string.Empty : ";" + string.Join(';', list) + ";";
    }

    /// <summary>The tags of a stored tag string.</summary>
    public static IEnumerable<string> TagsOf(string stored) => stored.Split(';', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Reads a row whose first columns are <see cref="Columns"/> (or <see cref="ReturnedColumns"/>), in that order, by
    /// position: looking 21 columns up by name cost more than reading them (every query of tasks selects them first).
    /// </summary>
    public static TaskRecord Map(DbDataReader r) => new(
        r.GetInt64(0),
        System.Guid.Parse(r.GetString(1)),
        r.GetInt64(2),
        r.GetInt64(3),
        TextAt(r, 4),
        TextAt(r, 5),
        TextAt(r, 6),
        (QueueTaskStatus)checked((int)r.GetInt64(7)),
        r.IsDBNull(8) ? null : System.Guid.Parse(r.GetString(8)),
        checked((int)r.GetInt64(10)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
        TimeAt(r, 12),
        TimeAt(r, 13),
        TimeAt(r, 14),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(15)),
        checked((int)r.GetInt64(16)),
        r.IsDBNull(17) ? null : r.GetInt64(17),
        TextAt(r, 18),
        r.IsDBNull(19) ? null : r.GetString(19),
        r.IsDBNull(20) ? null : r.GetString(20),
        r.IsDBNull(9) ? null : System.Guid.Parse(r.GetString(9)));

    private static string TextAt(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? string.Empty : r.GetString(ordinal);

    private static DateTimeOffset? TimeAt(DbDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
