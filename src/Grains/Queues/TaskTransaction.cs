using System.Data.Common;
using Orchestrator.Storage;

namespace Orchestrator.Queues;

/// <summary>
/// One transaction of a queue grain's group commit: every task write of a batch runs in it, and the queue's
/// per-status counters move by the batch's net change in the same transaction, so they never disagree with the rows.
/// </summary>
public sealed class TaskTransaction : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly long[] _countChanges = new long[6];
    private readonly Dictionary<long, long> _newInOtherQueues = [];

    // A batch runs the same few statements for each of its writes (a take, a completion): each is prepared once
    // (a transaction, or for as long as a kept writer lives) and run again with new values, instead of being parsed
    // and planned again for every write.
    private readonly Dictionary<string, DbCommand> _commands;

    // Null when the connection and its commands are the transaction's own, to be closed with it.
    private readonly TaskWriter? _writer;

    private TaskTransaction(DbConnection connection, DbTransaction transaction, TaskWriter? writer)
    {
        _connection = connection;
        _transaction = transaction;
        _writer = writer;
        _commands = writer?.Commands ?? new(StringComparer.Ordinal);
    }

    public static Task<TaskTransaction> BeginAsync(OrchestratorDatabase database) => BeginAsync(database, null);

    /// <summary>Begins a transaction on <paramref name="writer"/>'s connection (opened on first use) when given, else on a pooled one.</summary>
    public static async Task<TaskTransaction> BeginAsync(OrchestratorDatabase database, TaskWriter? writer)
    {
        var connection = writer is null ? await database.OpenAsync() : await writer.ConnectionAsync(database);
        try
        {
            // On SQLite this is BEGIN IMMEDIATE: the write lock is taken up front, so the batch never fails half-way on an upgrade.
            var transaction = await connection.BeginTransactionAsync();
            return new TaskTransaction(connection, transaction, writer);
        }
        catch
        {
            if (writer is null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                await writer.CloseAsync();
            }

            throw;
        }
    }

    /// <summary>A task left <paramref name="from"/> (null: it is new) for <paramref name="to"/> (null: it is gone).</summary>
    public void Moved(QueueTaskStatus? from, QueueTaskStatus? to)
    {
        if (from is { } f)
        {
            _countChanges[(int)f]--;
        }

        if (to is { } t)
        {
            _countChanges[(int)t]++;
        }
    }

    public void Moved(QueueTaskStatus from, QueueTaskStatus to, long count)
    {
        _countChanges[(int)from] -= count;
        _countChanges[(int)to] += count;
    }

    /// <summary><paramref name="count"/> New tasks were added to another queue than the one committing.</summary>
    public void AddedTo(long queueId, long count) => _newInOtherQueues[queueId] = _newInOtherQueues.GetValueOrDefault(queueId) + count;

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<long?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? null : Convert.ToInt64(value);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>
    /// Runs several statements, each with a result set, in one command (PostgreSQL gets them in one round trip) and
    /// hands each row to <paramref name="row"/> with the index of the statement that answered it.
    /// </summary>
    public async Task ReadEachAsync(string sql, (string Name, object? Value)[] parameters, Action<int, DbDataReader> row)
    {
        await using var command = OrchestratorDatabase.CreateCommand(_connection, sql, parameters);
        command.Transaction = _transaction;
        await using var reader = await command.ExecuteReaderAsync();
        var statement = 0;
        do
        {
            while (await reader.ReadAsync())
            {
                row(statement, reader);
            }

            statement++;
        }
        while (await reader.NextResultAsync());
    }

    /// <summary>Writes the counters' net change and commits.</summary>
    public async Task CommitAsync(long queueId)
    {
        // Queue rows are updated in id order: two grains each adding tasks to the other's queue would otherwise
        // lock the same two rows in opposite orders, and PostgreSQL would end one of them as a deadlock.
        var queues = _newInOtherQueues.Keys.Append(queueId).Distinct().Order();
        foreach (var id in queues)
        {
            if (id == queueId)
            {
                await WriteOwnCountsAsync(queueId);
            }
            else
            {
                await ExecuteAsync("UPDATE queues SET count_new = count_new + @added WHERE id = @id", ("@id", id), ("@added", _newInOtherQueues[id]));
            }
        }

        await _transaction.CommitAsync();
    }

    private async Task WriteOwnCountsAsync(long queueId)
    {
        var sets = new List<string>();
        var parameters = new List<(string, object?)> { ("@id", queueId) };
        for (var status = 0; status < _countChanges.Length; status++)
        {
            if (_countChanges[status] != 0)
            {
                var column = QueueRecords.CountColumnOf[status];
                sets.Add($"{column} = {column} + @d{status}");
                parameters.Add(($"@d{status}", _countChanges[status]));
            }
        }

        if (sets.Count > 0)
        {
            await ExecuteAsync($"UPDATE queues SET {string.Join(", ", sets)} WHERE id = @id", [.. parameters]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            // The kept writer's connection and commands outlive the transaction (a rolled-back one included).
            await _transaction.DisposeAsync();
            return;
        }

        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        if (_commands.TryGetValue(sql, out var prepared) && OrchestratorDatabase.TryRebind(prepared, parameters))
        {
            prepared.Transaction = _transaction;
            return prepared;
        }

        var command = OrchestratorDatabase.CreateCommand(_connection, sql, parameters);
        command.Transaction = _transaction;
        if (prepared is not null)
        {
            prepared.Dispose();
        }

        _commands[sql] = command;
        return command;
    }
}
