using System.Data.Common;
using System.Text;
using Orchestrator.Storage;

namespace Orchestrator.Logs;

/// <summary>The reads of the <c>logs</c> table; <see cref="LogWriter"/> is the only writer.</summary>
public sealed class LogRecords(OrchestratorDatabase database)
{
    private const string Columns = "id, guid, account_id, robot_guid, robot_id, job_guid, job_id, process_version_guid, process_version_id, level, message, created_at, updated_at";

    public Task<LogRecord?> FindAsync(long accountId, Guid guid) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM logs WHERE guid = @guid AND account_id = @account", Map, ("@guid", guid), ("@account", accountId));

    public Task<LogRecord?> FindAsync(long accountId, long id) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM logs WHERE id = @id AND account_id = @account", Map, ("@id", id), ("@account", accountId));

    /// <summary>
    /// The shortest text, in characters (Unicode scalars, not UTF-16 units), the trigram indexes can look up: a shorter
    /// one has no trigram, and is tested on every line the other filters leave (the scan).
    /// </summary>
    public const int MinIndexedText = 3;

    private static readonly string QualifiedColumns = string.Join(", ", Columns.Split(", ").Select(column => "logs." + column));

    /// <summary>
    /// One page of the account's logs. Every filter is an equality or range on an indexed column with the id last,
    /// so a page costs the same at ten rows or ten million: the database walks one index from the cursor. A text
    /// (a substring, case as sent) is looked up in the database's trigram index; a time range alone is read from the
    /// time index when that is cheaper than walking the ids down to it.
    /// </summary>
    public async Task<List<LogRecord>> ListAsync(long accountId, LogFilter filter)
    {
        var sqlite = database.Kind == DatabaseKind.Sqlite;
        var where = new StringBuilder("logs.account_id = @account");
        var parameters = new List<(string, object?)> { ("@account", accountId), ("@take", filter.Take) };
        Add(filter.RobotGuid, "logs.robot_guid = @robot", "@robot");
        Add(filter.JobGuid, "logs.job_guid = @job", "@job");
        Add(filter.ProcessVersionGuid, "logs.process_version_guid = @version", "@version");
        Add(filter.MinLevel, "logs.level >= @level", "@level");

        // With a robot, job or version named, that filter's index leads and the time bounds are tested on the way (the
        // robot's index carries created_at). The unary plus keeps SQLite from taking the time index instead: its range
        // would be read row by row for the robot, then sorted by id. PostgreSQL reads +x as x. That filter also bounds
        // a text search: its lines are tested one by one, at most the robot's, job's or version's lines.
        var narrowed = filter.RobotGuid is not null || filter.JobGuid is not null || filter.ProcessVersionGuid is not null;
        var created = narrowed ? "+logs.created_at" : "logs.created_at";
        Add(filter.From, $"{created} >= @from", "@from");
        Add(filter.To, $"{created} <= @to", "@to");

        // A substring, case as sent. SQLite tests it with instr, after the trigram index (when it is used) has found
        // the candidate lines; PostgreSQL spells it LIKE, which its planner answers from the trigram index when that
        // pays, and which means the same as a substring test once %, _ and the escape character are escaped.
        var textIndex = sqlite && !narrowed && filter.Text is { } indexed && indexed.EnumerateRunes().Count() >= MinIndexedText;
        if (filter.Text is { } text)
        {
            Add(sqlite ? text : "%" + EscapeLike(text) + "%", sqlite ? "instr(logs.message, @text) > 0" : "logs.message LIKE @text", "@text");
        }

        var descending = filter.After is null;
        var order = descending ? "DESC" : "ASC";
        if (textIndex)
        {
            // The index walks its matches in id order from the cursor, so a page of a common text stops after its
            // first hundred matches and a rare or absent text costs its few index entries, not the table.
            Add(filter.Before, "logs_text.rowid < @before", "@before");
            Add(filter.After, "logs_text.rowid > @after", "@after");
            parameters.Add(("@match", "\"" + filter.Text!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
            return await database.QueryAsync(
                $"SELECT {QualifiedColumns} FROM logs_text CROSS JOIN logs ON logs.id = logs_text.rowid WHERE logs_text MATCH @match AND {where} ORDER BY logs_text.rowid {order} LIMIT @take",
                Map,
                [.. parameters]);
        }

        Add(filter.Before, "logs.id < @before", "@before");
        Add(filter.After, "logs.id > @after", "@after");
        var select = $"SELECT {QualifiedColumns} FROM logs WHERE {where} ORDER BY logs.id {order} LIMIT @take";
        if (narrowed || (filter.From is null && filter.To is null) || filter.Text is not null)
        {
            return await database.QueryAsync(select, Map, [.. parameters]);
        }

        // A time range with no other index to lead. Walking the ids from the cursor finds the range's newest lines at
        // once when the range is recent, but skips every line newer than the range first when it is not; reading the
        // range from the time index (whose entries carry the id) and keeping the top ids costs the range's size. Two
        // probes of the time index say where the range's ids lie, and so which is less to read. Either way the page is
        // the same: every line is tested on its own created_at, so a line whose id is out of step with its time is
        // neither lost nor let in; the probes only choose the plan.
        var time = sqlite ? "logs INDEXED BY ix_logs_created" : "logs";
        var bounds = (await database.QueryAsync(
            $"""
            SELECT (SELECT id FROM {time} WHERE account_id = @account AND created_at >= @from ORDER BY account_id, created_at, id LIMIT 1) AS low,
                   (SELECT id FROM {time} WHERE account_id = @account AND created_at <= @to ORDER BY account_id DESC, created_at DESC, id DESC LIMIT 1) AS high,
                   (SELECT max(id) FROM logs WHERE account_id = @account) AS top
            """,
            r => (Low: r.NullableLong("low"), High: r.NullableLong("high"), Top: r.NullableLong("top")),
            ("@account", accountId),
            ("@from", filter.From ?? DateTimeOffset.MinValue),
            ("@to", filter.To ?? DateTimeOffset.MaxValue)))[0];
        if (bounds.Low is not { } low || bounds.High is not { } high || bounds.Top is not { } top)
        {
            return []; // no line at or after From, or none at or before To: none in the range
        }

        var walk = descending ? Math.Min(top, (filter.Before ?? long.MaxValue) - 1) - high : low - (filter.After ?? 0);
        var range = high - low;
        if (walk <= range)
        {
            // The unary plus keeps SQLite on the ids: given the bare column it would read the range from the time index.
            return await database.QueryAsync(select.Replace(" logs.created_at ", " +logs.created_at ", StringComparison.Ordinal), Map, [.. parameters]);
        }

        return await database.QueryAsync(
            $"SELECT {QualifiedColumns} FROM logs WHERE logs.id IN (SELECT logs.id FROM {time} WHERE {where} ORDER BY logs.id {order} LIMIT @take) ORDER BY logs.id {order}",
            Map,
            [.. parameters]);

        void Add(object? value, string condition, string name)
        {
            if (value is not null)
            {
                where.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }
    }

    /// <summary>The text as a LIKE pattern's literal part: PostgreSQL's default escape character is the backslash.</summary>
    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static LogRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.NullableGuid("robot_guid"),
        r.NullableLong("robot_id"),
        r.NullableGuid("job_guid"),
        r.NullableLong("job_id"),
        r.NullableGuid("process_version_guid"),
        r.NullableLong("process_version_id"),
        r.Int("level"),
        r.Text("message"),
        r.Time("created_at"),
        r.Time("updated_at"));
}
