using System.Data.Common;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Processes;

/// <summary>The queries on the <c>process_versions</c> table. The process version grain is the only caller that writes.</summary>
public sealed class ProcessVersionRecords(OrchestratorDatabase database)
    : RecordTable<ProcessVersionRecord>(database, "process_versions", VersionColumns, "updated")
{
    private const string VersionColumns =
        "id, guid, account_id, process_id, name, description, process_file_name, file_blob_id, created, updated, " +
        "(SELECT b.size FROM file_blobs b WHERE b.id = file_blob_id) AS size, (SELECT b.sha256 FROM file_blobs b WHERE b.id = file_blob_id) AS sha256";

    /// <summary>
    /// A version is inserted only while its process is live, checked in the insert itself: a process deleted since the
    /// caller found it has had its versions deleted already, and one inserted after would outlive it. On PostgreSQL the
    /// process's row is locked for share until the commit, so its delete waits and then finds this version; on SQLite
    /// one writer at a time gives the same.
    /// </summary>
    private string InsertSql => _insertSql ??=
        $"""
        INSERT INTO process_versions (guid, account_id, process_id, name, description, process_file_name, file_blob_id, created, updated)
        SELECT @guid, @account, @process, @name, @description, @file, @blob, @now, @now
        WHERE EXISTS (SELECT 1 FROM processes p WHERE p.id = @process AND p.is_deleted = 0{(Database.Kind == DatabaseKind.PostgreSql ? " FOR SHARE" : "")})
        RETURNING id
        """;

    private string? _insertSql;

    /// <summary>Whether a pending, running, stopping or aborting job runs this version (of that process).</summary>
    public async Task<bool> HasLiveJobsAsync(long processId, long versionId) =>
        await Database.ScalarAsync(
            "SELECT 1 FROM jobs WHERE process_id = @process AND process_version_id = @version AND is_deleted = 0 AND status IN (0, 1, 4, 6) LIMIT 1",
            ("@process", processId),
            ("@version", versionId)) is not null;

    /// <summary>The GUIDs of a process's live versions.</summary>
    public Task<List<Guid>> OfProcessAsync(long processId) =>
        Database.QueryAsync(
            "SELECT guid FROM process_versions WHERE process_id = @process AND is_deleted = 0", r => r.Guid("guid"), ("@process", processId));

    public override async Task<ProcessVersionRecord> InsertAsync(ProcessVersionRecord version) => version with
    {
        Id = await Database.ScalarAsync(InsertSql, InsertParameters(version))
            ?? throw new InvalidOperationException($"Version {version.Guid} names process {version.ProcessId}, which is deleted."),
    };

    /// <summary>
    /// Inserts a new version in <paramref name="bytes"/>, the transaction that stores its file's bytes
    /// (<see cref="FileBlobs.SaveAsync{T}"/>), so that the two commit together: a version whose record is refused (its
    /// name is taken) or fails leaves no bytes behind, and a crash between the two writes cannot happen. The version's
    /// grain is not active yet (its GUID is new): it loads the committed row when first called.
    /// </summary>
    /// <remarks>A process deleted since the caller found it is <see cref="WriteResult.NotFound"/>.</remarks>
    public async Task<Created> InsertAsync(ProcessVersionRecord version, DbTransaction bytes)
    {
        await using var command = OrchestratorDatabase.CreateCommand(bytes.Connection!, InsertSql, InsertParameters(version));
        command.Transaction = bytes;
        try
        {
            return await command.ExecuteScalarAsync() is { } id and not DBNull
                ? new Created(WriteResult.Done, Convert.ToInt64(id))
                : new Created(WriteResult.NotFound, 0);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return new Created(WriteResult.NameTaken, 0);
        }
    }

    private static (string, object?)[] InsertParameters(ProcessVersionRecord version) =>
    [
        ("@guid", version.Guid),
        ("@account", version.AccountId),
        ("@process", version.ProcessId),
        ("@name", version.Name),
        ("@description", version.Description),
        ("@file", version.FileName),
        ("@blob", version.File.BlobId),
        ("@now", version.Created),
    ];

    public override Task<int> UpdateAsync(ProcessVersionRecord version) =>
        Database.ExecuteAsync(
            """
            UPDATE process_versions SET process_id = @process, name = @name, description = @description,
                process_file_name = @file, file_blob_id = @blob, updated = @updated
            WHERE id = @id
            """,
            ("@id", version.Id),
            ("@process", version.ProcessId),
            ("@name", version.Name),
            ("@description", version.Description),
            ("@file", version.FileName),
            ("@blob", version.File.BlobId),
            ("@updated", version.Updated));

    /// <summary>One account's versions in id order, optionally of one process.</summary>
    public Task<List<ProcessVersionRecord>> ListAsync(long accountId, long? processId, int skip, int? take) =>
        Database.QueryAsync(
            $"""
            SELECT {Columns} FROM process_versions WHERE account_id = @account AND is_deleted = 0
                {(processId is null ? string.Empty : "AND process_id = @process")}
            ORDER BY id LIMIT @take OFFSET @skip
            """,
            Map,
            ("@account", accountId),
            ("@process", processId),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));

    public static ProcessVersionInfo Info(ProcessVersionRecord v) =>
        new(v.Id, v.Guid, v.AccountId, v.ProcessId, v.Name, v.Description, v.FileName, v.File, v.Created, v.Updated);

    protected override ProcessVersionRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Long("process_id"),
        r.Text("name"),
        r.Text("description"),
        r.Text("process_file_name"),
        new StoredFile(r.Long("file_blob_id"), r.Long("size"), r.Text("sha256")),
        r.Time("created"),
        r.Time("updated"));
}
