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
    /// One page of the account's logs. Every filter is an equality or range on an indexed column with the id last,
    /// so a page costs the same at ten rows or ten million: the database walks one index from the cursor.
    /// </summary>
    public Task<List<LogRecord>> ListAsync(long accountId, LogFilter filter)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM logs WHERE account_id = @account");
        var parameters = new List<(string, object?)> { ("@account", accountId), ("@take", filter.Take) };
        Add(filter.RobotGuid, "robot_guid = @robot", "@robot");
        Add(filter.JobGuid, "job_guid = @job", "@job");
        Add(filter.ProcessVersionGuid, "process_version_guid = @version", "@version");
        Add(filter.MinLevel, "level >= @level", "@level");
        // With a robot, job or version named, that filter's index leads and the time bounds are tested on the way (the
        // robot's index carries created_at). The unary plus keeps SQLite from taking the time index instead: its range
        // would be read row by row for the robot, then sorted by id. PostgreSQL reads +x as x.
        var created = filter.RobotGuid is null && filter.JobGuid is null && filter.ProcessVersionGuid is null ? "created_at" : "+created_at";
        Add(filter.From, $"{created} >= @from", "@from");
        Add(filter.To, $"{created} <= @to", "@to");

        // A substring, case as sent: instr and strpos are the two databases' spellings of the same test.
        Add(filter.Text, database.Kind == DatabaseKind.Sqlite ? "instr(message, @text) > 0" : "strpos(message, @text) > 0", "@text");
        Add(filter.Before, "id < @before", "@before");
        Add(filter.After, "id > @after", "@after");
        sql.Append(filter.After is null ? " ORDER BY id DESC" : " ORDER BY id").Append(" LIMIT @take");
        return database.QueryAsync(sql.ToString(), Map, [.. parameters]);

        void Add(object? value, string condition, string name)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }
    }

    private static LogRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        NullableGuid(r, "robot_guid"),
        NullableLong(r, "robot_id"),
        NullableGuid(r, "job_guid"),
        NullableLong(r, "job_id"),
        NullableGuid(r, "process_version_guid"),
        NullableLong(r, "process_version_id"),
        r.Int("level"),
        r.Text("message"),
        r.Time("created_at"),
        r.Time("updated_at"));

    private static long? NullableLong(DbDataReader r, string column) => r[column] is null or DBNull ? null : Convert.ToInt64(r[column]);

    private static Guid? NullableGuid(DbDataReader r, string column) => r[column] is string text ? Guid.Parse(text) : null;
}
