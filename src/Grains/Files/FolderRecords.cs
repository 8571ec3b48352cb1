using System.Data.Common;
using Orchestrator.Common;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Files;

/// <summary>
/// The queries on <c>folders</c>. Folders are plain records with no grain of their own: every write is one
/// statement, or one transaction, that states the row it expects (live, the caller's), so concurrent calls on any
/// silo need no single writer. Names are unique per account among live folders (API.md §1): the partial unique
/// index judges, and a violation is <see cref="WriteResult.NameTaken"/>.
/// </summary>
public sealed class FolderRecords(OrchestratorDatabase database) : IRecordLookup
{
    private const string Columns = "id, guid, account_id, name, description, created, updated";

    /// <summary>Inserts a folder; null when the account already has a live folder of that name.</summary>
    public async Task<FolderRecord?> InsertAsync(FolderRecord folder)
    {
        try
        {
            return folder with
            {
                Id = await database.InsertAsync(
                    """
                    INSERT INTO folders (guid, account_id, name, description, created, updated)
                    VALUES (@guid, @account, @name, @description, @now, @now)
                    RETURNING id
                    """,
                    ("@guid", folder.Guid),
                    ("@account", folder.AccountId),
                    ("@name", folder.Name),
                    ("@description", folder.Description),
                    ("@now", folder.Created)),
            };
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return null;
        }
    }

    /// <summary>The account's live folder, or null (none, deleted, or another account's).</summary>
    public Task<FolderRecord?> FindAsync(long accountId, Guid guid) =>
        database.QuerySingleAsync(
            $"SELECT {Columns} FROM folders WHERE guid = @guid AND account_id = @account AND is_deleted = 0",
            Map,
            ("@guid", guid),
            ("@account", accountId));

    /// <summary>One account's live folders in id order.</summary>
    public Task<List<FolderRecord>> ListAsync(long accountId, int skip, int? take) =>
        database.QueryAsync(
            $"SELECT {Columns} FROM folders WHERE account_id = @account AND is_deleted = 0 ORDER BY id LIMIT @take OFFSET @skip",
            Map,
            ("@account", accountId),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));

    /// <summary>Changes the fields given (null keeps one) in one statement, so two updates of different fields never undo each other.</summary>
    public async Task<WriteResult> UpdateAsync(long accountId, Guid guid, string? name, string? description, DateTimeOffset now)
    {
        try
        {
            var rows = await database.ExecuteAsync(
                """
                UPDATE folders SET name = COALESCE(@name, name), description = COALESCE(@description, description), updated = @now
                WHERE guid = @guid AND account_id = @account AND is_deleted = 0
                """,
                ("@guid", guid),
                ("@account", accountId),
                ("@name", name),
                ("@description", description),
                ("@now", now));
            return rows == 1 ? WriteResult.Done : WriteResult.NotFound;
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return WriteResult.NameTaken;
        }
    }

    /// <summary>
    /// Deletes the folder, its files and their bytes in one transaction: the folder and the files are soft-deleted
    /// (their ids and GUIDs are never reused), the bytes are deleted (ON DELETE SET NULL clears the files' references).
    /// A file being created in or moved into the folder at the same time either commits first and goes with it, or
    /// finds the folder deleted (<see cref="StorageTransaction.HoldLiveFolderAsync"/>).
    /// </summary>
    public async Task<WriteResult> DeleteAsync(long accountId, Guid guid, DateTimeOffset now)
    {
        await using var transaction = await StorageTransaction.BeginAsync(database);
        var folder = await transaction.ScalarAsync(
            "UPDATE folders SET is_deleted = 1, updated = @now WHERE guid = @guid AND account_id = @account AND is_deleted = 0 RETURNING id",
            ("@guid", guid),
            ("@account", accountId),
            ("@now", now));
        if (folder is not { } id)
        {
            return WriteResult.NotFound;
        }

        // The files first: their rows are then locked, so the bytes deleted next are the ones they refer to now, even
        // when an update replaced them a moment ago. Files deleted before have no bytes left (ON DELETE SET NULL).
        await transaction.ExecuteAsync(
            "UPDATE files SET is_deleted = 1, updated = @now WHERE folder_id = @folder AND is_deleted = 0", ("@folder", id), ("@now", now));
        await transaction.ExecuteAsync(
            "DELETE FROM file_blobs WHERE id IN (SELECT file_blob_id FROM files WHERE folder_id = @folder AND file_blob_id IS NOT NULL)",
            ("@folder", id));
        await transaction.CommitAsync();
        return WriteResult.Done;
    }

    public Task<Guid?> FindGuidAsync(long accountId, long id) =>
        database.QueryGuidAsync(
            "SELECT guid FROM folders WHERE id = @id AND account_id = @account AND is_deleted = 0", ("@id", id), ("@account", accountId));

    public Task<long?> FindIdAsync(long accountId, Guid guid) =>
        database.ScalarAsync(
            "SELECT id FROM folders WHERE guid = @guid AND account_id = @account AND is_deleted = 0", ("@guid", guid), ("@account", accountId));

    private static FolderRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Text("name"),
        r.Text("description"),
        r.Time("created"),
        r.Time("updated"));
}
