using System.Data.Common;
using Orchestrator.Storage;

namespace Orchestrator.Files;

/// <summary>
/// Statements on folders, files and their bytes that must commit together (a folder deleted with its files and
/// their bytes; a file moved into a folder only while that folder is live). One it began and disposes without
/// <see cref="CommitAsync"/> rolls everything back; one it joined (<see cref="Join"/>) is its owner's to end.
/// </summary>
internal sealed class StorageTransaction : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly bool _owned;

    private StorageTransaction(DbConnection connection, DbTransaction transaction, bool owned)
    {
        _connection = connection;
        _transaction = transaction;
        _owned = owned;
    }

    /// <summary>
    /// Joins a transaction someone else began (the one that stores a file's bytes): its statements run in it, and
    /// committing or rolling back is left to its owner.
    /// </summary>
    public static StorageTransaction Join(DbTransaction transaction) =>
        new(transaction.Connection ?? throw new ArgumentException("The transaction has completed.", nameof(transaction)), transaction, owned: false);

    public static async Task<StorageTransaction> BeginAsync(OrchestratorDatabase database)
    {
        var connection = await database.OpenAsync();
        try
        {
            return new StorageTransaction(connection, await connection.BeginTransactionAsync(), owned: true);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a statement that changes data; answers how many rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row as a number; null when there is no row or it is NULL.</summary>
    public async Task<long?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? null : Convert.ToInt64(value);
    }

    /// <summary>
    /// Takes the live folder's row lock for the rest of the transaction, so that a concurrent delete of the folder
    /// either commits first (and this answers false) or waits for this transaction and then sees what it wrote.
    /// On PostgreSQL that is the row lock of the UPDATE; on SQLite every write transaction holds the database's.
    /// </summary>
    public async Task<bool> HoldLiveFolderAsync(long accountId, long folderId) =>
        await ExecuteAsync(
            "UPDATE folders SET updated = updated WHERE id = @folder AND account_id = @account AND is_deleted = 0",
            ("@folder", folderId),
            ("@account", accountId)) == 1;

    /// <summary>Commits what this transaction owns; a joined one is committed by its owner.</summary>
    public Task CommitAsync() => _owned ? _transaction.CommitAsync() : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_owned)
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = OrchestratorDatabase.CreateCommand(_connection, sql, parameters);
        command.Transaction = _transaction;
        return command;
    }
}
