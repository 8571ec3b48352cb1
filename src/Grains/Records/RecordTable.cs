using System.Data.Common;
using Orchestrator.Storage;

namespace Orchestrator.Records;

/// <summary>
/// The queries every table of account-owned records answers the same way: the live row by GUID, the
/// id↔GUID look-ups within one account, and the soft delete. A record kind adds its insert, update and lists.
/// Rows are soft-deleted (<c>is_deleted = 1</c>): a deleted record is gone from every query here, and its
/// id and GUID are never reused.
/// </summary>
public abstract class RecordTable<TRecord>(OrchestratorDatabase database, string table, string columns, string updatedColumn) : IRecordLookup
    where TRecord : class, IAccountRecord
{
    private ReadBatcher<Guid, TRecord?>? _finds;

    protected OrchestratorDatabase Database { get; } = database;

    /// <summary>The columns <see cref="Map"/> reads, for the record kind's own queries.</summary>
    protected string Columns { get; } = columns;

    /// <summary>The live record by GUID; records asked for at once (a burst of activations) are read together.</summary>
    public Task<TRecord?> FindAsync(Guid guid) => ReadBatcher<Guid, TRecord?>.Once(ref _finds, FindManyAsync, null).ReadAsync(guid);

    private async Task<Dictionary<Guid, TRecord?>> FindManyAsync(IReadOnlyList<Guid> guids)
    {
        var rows = guids.Count == 1
            ? await Database.QueryAsync($"SELECT {Columns} FROM {table} WHERE guid = @guid AND is_deleted = 0", Map, ("@guid", guids[0]))
            : await Database.QueryAsync(
                $"SELECT {Columns} FROM {table} WHERE {Database.InList("guid", "@guids")} AND is_deleted = 0", Map, ("@guids", Database.ListOf(guids)));
        return rows.ToDictionary(r => r.Guid, r => (TRecord?)r);
    }

    /// <summary>Inserts the record and answers it with the id the database gave it.</summary>
    public abstract Task<TRecord> InsertAsync(TRecord record);

    /// <summary>Writes the record's fields over its row.</summary>
    public abstract Task<int> UpdateAsync(TRecord record);

    public Task<int> SoftDeleteAsync(long id, DateTimeOffset now) =>
        Database.ExecuteAsync($"UPDATE {table} SET is_deleted = 1, {updatedColumn} = @now WHERE id = @id", ("@id", id), ("@now", now));

    /// <summary>Resolves a numeric id to the live record's GUID within one account.</summary>
    public Task<Guid?> FindGuidAsync(long accountId, long id) =>
        Database.QueryGuidAsync(
            $"SELECT guid FROM {table} WHERE id = @id AND account_id = @account AND is_deleted = 0", ("@id", id), ("@account", accountId));

    /// <summary>Resolves a GUID to the live record's numeric id within one account.</summary>
    public Task<long?> FindIdAsync(long accountId, Guid guid) =>
        Database.ScalarAsync(
            $"SELECT id FROM {table} WHERE guid = @guid AND account_id = @account AND is_deleted = 0", ("@guid", guid), ("@account", accountId));

    protected abstract TRecord Map(DbDataReader reader);
}
