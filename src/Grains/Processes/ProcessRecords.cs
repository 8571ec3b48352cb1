using System.Data.Common;
using System.Globalization;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Processes;

/// <summary>The queries on the <c>processes</c> table. The process grain is the only caller that writes.</summary>
public sealed class ProcessRecords(OrchestratorDatabase database)
    : RecordTable<ProcessRecord>(database, "processes", ProcessColumns, "updated")
{
    private const string ProcessColumns = "id, guid, account_id, name, description, min_version_to_run, process_type, created, updated";

    public override async Task<ProcessRecord> InsertAsync(ProcessRecord process) => process with
    {
        Id = await Database.InsertAsync(
            """
            INSERT INTO processes (guid, account_id, name, description, min_version_to_run, process_type, created, updated)
            VALUES (@guid, @account, @name, @description, @min, @type, @now, @now)
            RETURNING id
            """,
            ("@guid", process.Guid),
            ("@account", process.AccountId),
            ("@name", process.Name),
            ("@description", process.Description),
            ("@min", MinVersionText(process.MinVersionToRun)),
            ("@type", process.ProcessType),
            ("@now", process.Created)),
    };

    public override Task<int> UpdateAsync(ProcessRecord process) =>
        Database.ExecuteAsync(
            """
            UPDATE processes SET name = @name, description = @description, min_version_to_run = @min, process_type = @type, updated = @updated
            WHERE id = @id
            """,
            ("@id", process.Id),
            ("@name", process.Name),
            ("@description", process.Description),
            ("@min", MinVersionText(process.MinVersionToRun)),
            ("@type", process.ProcessType),
            ("@updated", process.Updated));

    /// <summary>The process's newest live version (highest id), or null when it has none.</summary>
    public async Task<(long Id, Guid Guid)?> LatestVersionAsync(long processId)
    {
        var rows = await Database.QueryAsync(
            "SELECT id, guid FROM process_versions WHERE process_id = @process AND is_deleted = 0 ORDER BY id DESC LIMIT 1",
            r => (r.Long("id"), r.Guid("guid")),
            ("@process", processId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Soft-deletes the process unless a job of it is pending or running (any status that is not terminal), in one
    /// statement: a job created meanwhile is either seen here, or sees the process gone and is not created.
    /// </summary>
    /// <remarks>
    /// On PostgreSQL the process's row is locked first, in the same transaction: a job insert that found the process
    /// holds it locked for share until it commits, and the check, a statement after the lock, then sees that job.
    /// </remarks>
    public async Task<bool> SoftDeleteUnlessLiveJobsAsync(long processId, DateTimeOffset now)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (Database.Kind == DatabaseKind.PostgreSql)
        {
            await Execute("SELECT id FROM processes WHERE id = @process FOR UPDATE");
        }

        var deleted = await Execute(
            """
            UPDATE processes SET is_deleted = 1, updated = @now
            WHERE id = @process AND is_deleted = 0
              AND NOT EXISTS (SELECT 1 FROM jobs WHERE process_id = @process AND is_deleted = 0 AND status IN (0, 1, 4, 6))
            """);
        await transaction.CommitAsync();
        return deleted == 1;

        async Task<int> Execute(string sql)
        {
            await using var command = OrchestratorDatabase.CreateCommand(connection, sql, ("@process", processId), ("@now", now));
            command.Transaction = transaction;
            return await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>One account's processes in id order, each with its latest live version.</summary>
    public Task<List<ProcessInfo>> ListAsync(long accountId, int skip, int? take) =>
        Database.QueryAsync(
            $"""
            SELECT {Columns},
                (SELECT v.id FROM process_versions v WHERE v.process_id = p.id AND v.is_deleted = 0 ORDER BY v.id DESC LIMIT 1) AS version_id,
                (SELECT v.guid FROM process_versions v WHERE v.process_id = p.id AND v.is_deleted = 0 ORDER BY v.id DESC LIMIT 1) AS version_guid
            FROM processes p WHERE account_id = @account AND is_deleted = 0 ORDER BY id LIMIT @take OFFSET @skip
            """,
            r => Info(Map(r), r.NullableLong("version_id") is { } versionId ? (versionId, r.Guid("version_guid")) : null),
            ("@account", accountId),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));

    public static ProcessInfo Info(ProcessRecord p, (long Id, Guid Guid)? latest) => new(
        p.Id, p.Guid, p.AccountId, p.Name, p.Description, p.MinVersionToRun, p.ProcessType, p.Created, p.Updated, latest?.Id, latest?.Guid);

    protected override ProcessRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Text("name"),
        r.Text("description"),
        r.NullableDecimalText("min_version_to_run"),
        (ProcessType)r.Int("process_type"),
        r.Time("created"),
        r.Time("updated"));

    // Text keeps the decimal exactly as given (1.05 stays 1.05) on both databases.
    private static string? MinVersionText(decimal? version) => version?.ToString(CultureInfo.InvariantCulture);
}
