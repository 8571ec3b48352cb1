using System.Data.Common;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Files;

/// <summary>
/// The queries on <c>files</c> (API.md §12). Files are plain records with no grain: each write is one transaction
/// that states the rows it expects (the file live and the caller's, the target folder live), so concurrent calls
/// on any silo need no single writer. The bytes are a <c>file_blobs</c> row (<see cref="FileBlobs"/>), stored in
/// the same transaction as the record that refers to them; a replaced or deleted file's bytes are deleted in the
/// same transaction that lets go of them, so no bytes outlive their file, even across a crash.
/// </summary>
public sealed class FileRecords(OrchestratorDatabase database) : IRecordLookup
{
    // A live file always refers to its bytes; the folder is the file's own, live (a folder is deleted with its files).
    private const string Select =
        """
        SELECT f.id, f.guid, f.account_id, f.folder_id, d.guid AS folder_guid, f.name, f.file_blob_id, b.size, b.sha256, f.created, f.updated
        FROM files f
        JOIN file_blobs b ON b.id = f.file_blob_id
        LEFT JOIN folders d ON d.id = f.folder_id
        """;

    /// <summary>
    /// Inserts a file; answers its id, or <see cref="FileWrite.FolderNotFound"/> when its folder is not (or no longer)
    /// a live folder of the account. Run in <paramref name="bytes"/>, the transaction that stores the file's bytes,
    /// the two commit together (<see cref="FileBlobs.SaveAsync{T}"/>); its owner commits only on
    /// <see cref="FileWrite.Done"/>.
    /// </summary>
    public async Task<(FileWrite Result, long Id)> InsertAsync(FileRecord file, DbTransaction? bytes = null)
    {
        await using var transaction = await BeginAsync(bytes);
        if (file.FolderId is { } folder && !await transaction.HoldLiveFolderAsync(file.AccountId, folder))
        {
            return (FileWrite.FolderNotFound, 0);
        }

        var id = await transaction.ScalarAsync(
            """
            INSERT INTO files (guid, account_id, folder_id, name, file_blob_id, created, updated)
            VALUES (@guid, @account, @folder, @name, @blob, @now, @now)
            RETURNING id
            """,
            ("@guid", file.Guid),
            ("@account", file.AccountId),
            ("@folder", file.FolderId),
            ("@name", file.Name),
            ("@blob", file.File.BlobId),
            ("@now", file.Created));
        await transaction.CommitAsync();
        return (FileWrite.Done, id!.Value);
    }

    /// <summary>The account's live file, or null (none, deleted, in a deleted folder, or another account's).</summary>
    public Task<FileRecord?> FindAsync(long accountId, Guid guid) =>
        database.QuerySingleAsync(
            $"{Select} WHERE f.guid = @guid AND f.account_id = @account AND f.is_deleted = 0",
            Map,
            ("@guid", guid),
            ("@account", accountId));

    /// <summary>One account's live files in id order; of one folder when <paramref name="folderId"/> is given.</summary>
    public Task<List<FileRecord>> ListAsync(long accountId, long? folderId, int skip, int? take) =>
        database.QueryAsync(
            $"""
            {Select}
            WHERE f.account_id = @account AND f.is_deleted = 0{(folderId is null ? string.Empty : " AND f.folder_id = @folder")}
            ORDER BY f.id LIMIT @take OFFSET @skip
            """,
            Map,
            ("@account", accountId),
            ("@folder", folderId),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));

    /// <summary>
    /// Applies <paramref name="change"/> in one transaction: a target folder is held live, the file's row is locked (so
    /// two updates never both let go of the same bytes), and bytes it replaces are deleted on commit.
    /// New bytes are stored in <paramref name="bytes"/>, so that they commit with the change or not at all.
    /// </summary>
    public async Task<FileWrite> UpdateAsync(long accountId, Guid guid, FileChange change, DateTimeOffset now, DbTransaction? bytes = null)
    {
        await using var transaction = await BeginAsync(bytes);

        // Folder first, then file: the order a folder delete takes them in, so the two never wait on each other.
        if (change.Folder is { FolderId: { } folder } && !await transaction.HoldLiveFolderAsync(accountId, folder))
        {
            return FileWrite.FolderNotFound;
        }

        var id = await transaction.ScalarAsync(
            "UPDATE files SET updated = @now WHERE guid = @guid AND account_id = @account AND is_deleted = 0 RETURNING id",
            ("@guid", guid),
            ("@account", accountId),
            ("@now", now));
        if (id is null)
        {
            return FileWrite.FileNotFound;
        }

        var replaced = change.File is null
            ? null
            : await transaction.ScalarAsync("SELECT file_blob_id FROM files WHERE id = @id", ("@id", id));
        await transaction.ExecuteAsync(
            $"""
            UPDATE files SET name = COALESCE(@name, name), file_blob_id = COALESCE(@blob, file_blob_id)
                {(change.Folder is null ? string.Empty : ", folder_id = @folder")}
            WHERE id = @id
            """,
            ("@id", id),
            ("@name", change.Name),
            ("@blob", change.File?.BlobId),
            ("@folder", change.Folder?.FolderId));
        if (replaced is { } old)
        {
            await transaction.ExecuteAsync("DELETE FROM file_blobs WHERE id = @id", ("@id", old));
        }

        await transaction.CommitAsync();
        return FileWrite.Done;
    }

    /// <summary>Soft-deletes the file and deletes its bytes, in one transaction.</summary>
    public async Task<FileWrite> DeleteAsync(long accountId, Guid guid, DateTimeOffset now)
    {
        await using var transaction = await StorageTransaction.BeginAsync(database);
        var id = await transaction.ScalarAsync(
            "UPDATE files SET is_deleted = 1, updated = @now WHERE guid = @guid AND account_id = @account AND is_deleted = 0 RETURNING id",
            ("@guid", guid),
            ("@account", accountId),
            ("@now", now));
        if (id is null)
        {
            return FileWrite.FileNotFound;
        }

        await transaction.ExecuteAsync("DELETE FROM file_blobs WHERE id = (SELECT file_blob_id FROM files WHERE id = @id)", ("@id", id));
        await transaction.CommitAsync();
        return FileWrite.Done;
    }

    public Task<Guid?> FindGuidAsync(long accountId, long id) =>
        database.QueryGuidAsync(
            "SELECT guid FROM files WHERE id = @id AND account_id = @account AND is_deleted = 0", ("@id", id), ("@account", accountId));

    public Task<long?> FindIdAsync(long accountId, Guid guid) =>
        database.ScalarAsync(
            "SELECT id FROM files WHERE guid = @guid AND account_id = @account AND is_deleted = 0", ("@guid", guid), ("@account", accountId));

    private async Task<StorageTransaction> BeginAsync(DbTransaction? joined) =>
        joined is null ? await StorageTransaction.BeginAsync(database) : StorageTransaction.Join(joined);

    private static FileRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.IsDBNull(r.GetOrdinal("folder_id")) ? null : r.Long("folder_id"),
        r.IsDBNull(r.GetOrdinal("folder_guid")) ? null : r.Guid("folder_guid"),
        r.Text("name"),
        new StoredFile(r.Long("file_blob_id"), r.Long("size"), r.Text("sha256")),
        r.Time("created"),
        r.Time("updated"));
}
