using System.Data.Common;
using System.Threading.Channels;

namespace Orchestrator.Storage;

/// <summary>
/// Runs single-row writes of many grains in shared transactions (group commit): a loop takes every statement queued
/// while its previous transaction committed and commits them together, so a burst of writes costs one commit (one
/// fsync on SQLite) instead of one each, and no caller's thread blocks on the database. A statement that fails (a
/// unique index, a foreign key) fails alone and the others still commit: SQLite undoes a failed statement and keeps
/// its transaction; on PostgreSQL a transaction's statements go in one round trip, and only a transaction in which one
/// failed is run again one statement at a time, each in its savepoint. A write may carry a second statement that runs
/// right after it in the same transaction (<see cref="ExecuteThenWriteRowAsync{T}"/>). A write completes only once its
/// transaction is committed: acknowledged means durable.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable, IDisposable
{
    /// <summary>Writes per transaction at most (a statement joined to a write goes with it); bounds a commit's time.</summary>
    public const int MaxBatch = 1_000;

    private readonly OrchestratorDatabase _database;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly Task[] _loops;
    private long _commits;
    private long _sends;

    public GroupCommit(OrchestratorDatabase database)
    {
        _database = database;

        // SQLite has one write lock: one committer, and everything else joins its next transaction. PostgreSQL commits
        // transactions side by side: a few committers, so one batch's round trips do not hold up the next.
        _loops = Enumerable.Range(0, database.Kind == DatabaseKind.Sqlite ? 1 : 4).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Transactions committed since start; lets tests and benchmarks see writes being shared.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Commands sent to the database since start, commits included: round trips on PostgreSQL (where the session waits
    /// for each), statements run on SQLite. Lets tests and benchmarks see what a write costs in them.
    /// </summary>
    public long Sends => Interlocked.Read(ref _sends);

    /// <summary>Runs a statement that changes data; answers how many rows it touched once that is committed.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt32(await Enqueue(sql, parameters, scalar: false));

    /// <summary>Runs an INSERT … RETURNING id; answers the new row's id once it is committed.</summary>
    public async Task<long> InsertAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt64(await Enqueue(sql, parameters, scalar: true));

    /// <summary>
    /// Runs a statement that changes data and answers a row (an INSERT … RETURNING the columns the caller maps); the
    /// row mapped by <paramref name="map"/> once it is committed, or null when the statement answered none.
    /// </summary>
    public async Task<T?> WriteRowAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
        where T : class =>
        (T?)await Enqueue(new Pending(sql, parameters, false, reader => map(reader), NewAnswer())).Done.Task;

    /// <summary>
    /// Runs a statement that changes data (<paramref name="first"/>) and, straight after it in the same transaction, a
    /// statement that answers a row, as <see cref="ExecuteAsync"/> and <see cref="WriteRowAsync{T}"/> would, but for one
    /// commit instead of two, with no other write between them: a crash leaves both or neither. The second runs whatever
    /// the first answered and sees what it changed: a second that depends on the first says so in its own SQL. Each
    /// fails alone, as a single write does (a second refused by a constraint leaves the first committed).
    /// </summary>
    public async Task<(int Rows, T? Row)> ExecuteThenWriteRowAsync<T>(
        (string Sql, (string Name, object? Value)[] Parameters) first,
        string sql,
        Func<DbDataReader, T> map,
        params (string Name, object? Value)[] parameters)
        where T : class
    {
        var then = new Pending(sql, parameters, false, reader => map(reader), NewAnswer());
        var head = Enqueue(new Pending(first.Sql, first.Parameters, false, null, NewAnswer()) { Then = then });
        var rows = Convert.ToInt32(await head.Done.Task);
        return (rows, (T?)await then.Done.Task);
    }

    /// <summary>Takes no more writes and waits until those already taken are committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    /// <summary>Takes no more writes; those already taken are still committed.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private static TaskCompletionSource<object?> NewAnswer() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task<object?> Enqueue(string sql, (string Name, object? Value)[] parameters, bool scalar) =>
        Enqueue(new Pending(sql, parameters, scalar, null, NewAnswer())).Done.Task;

    /// <summary>Queues a write (and the writes chained to it, which go into the same transaction right after it).</summary>
    private Pending Enqueue(Pending pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            for (var p = pending; p is not null; p = p.Then)
            {
                p.Done.TrySetException(new ObjectDisposedException(nameof(GroupCommit), "The silo is shutting down."));
            }
        }

        return pending;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var answers = new List<(Pending Write, object? Answer, Exception? Failure)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            for (var writes = 0; writes < MaxBatch && _queue.Reader.TryRead(out var pending); writes++)
            {
                for (var p = pending; p is not null; p = p.Then)
                {
                    batch.Add(p);
                }
            }

            // Several committers wake for one write (PostgreSQL's): those that find it taken have nothing to commit.
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await CommitAsync(batch, answers);
                Interlocked.Increment(ref _commits);
                foreach (var (write, answer, failure) in answers)
                {
                    if (failure is null)
                    {
                        write.Done.TrySetResult(answer);
                    }
                    else
                    {
                        write.Done.TrySetException(failure);
                    }
                }
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
            }

            batch.Clear();
            answers.Clear();
        }
    }

    private async Task CommitAsync(List<Pending> batch, List<(Pending, object?, Exception?)> answers)
    {
        await using var connection = await _database.OpenAsync();
        if (batch.Count > 1 && connection.CanCreateBatch && await TryCommitInOneSendAsync(connection, batch, answers))
        {
            return;
        }

        await CommitOneByOneAsync(connection, batch, answers);
    }

    /// <summary>
    /// On a database server (PostgreSQL), a transaction's writes go in one round trip (a <see cref="DbBatch"/>) and its
    /// commit in a second, instead of three round trips a write (its savepoint, the statement, the savepoint's release)
    /// that the server's session waits on one after the other. Without savepoints one failing statement aborts the
    /// whole transaction: then it is rolled back, nothing of it committed, and false sends the caller to run the batch
    /// again one write at a time, each in its savepoint, where the failing write fails alone.
    /// </summary>
    private async Task<bool> TryCommitInOneSendAsync(DbConnection connection, List<Pending> batch, List<(Pending, object?, Exception?)> answers)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var send = connection.CreateBatch();
        send.Transaction = transaction;
        foreach (var write in batch)
        {
            OrchestratorDatabase.AddBatchCommand(send, write.Sql, write.Parameters);
        }

        var rows = new object?[batch.Count];
        try
        {
            Interlocked.Increment(ref _sends);
            await using (var reader = await send.ExecuteReaderAsync())
            {
                // Only the writes that answer a row (RETURNING) have a result set: the reader passes over the others.
                var first = true;
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch[i] is not { Map: not null } and not { Scalar: true })
                    {
                        continue;
                    }

                    if (!first && !await reader.NextResultAsync())
                    {
                        throw new InvalidOperationException("A write that answers a row answered none.");
                    }

                    first = false;
                    rows[i] = !await reader.ReadAsync() ? null : batch[i].Map is { } map ? map(reader) : reader.GetValue(0);
                    while (await reader.ReadAsync())
                    {
                    }
                }
            }
        }
        catch (DbException) when (connection.State == System.Data.ConnectionState.Open)
        {
            // A statement failed (a broken connection is not retried: it fails the batch, as it would one by one).
            await transaction.RollbackAsync();
            return false;
        }

        // A commit that fails fails the batch, as one by one.
        Interlocked.Increment(ref _sends);
        await transaction.CommitAsync();

        for (var i = 0; i < batch.Count; i++)
        {
            _database.CountWrite();
            answers.Add((batch[i], batch[i].Map is not null || batch[i].Scalar ? rows[i] : send.BatchCommands[i].RecordsAffected, null));
        }

        return true;
    }

    private async Task CommitOneByOneAsync(DbConnection connection, List<Pending> batch, List<(Pending, object?, Exception?)> answers)
    {
        await using var transaction = await connection.BeginTransactionAsync();

        // A batch's writes are mostly the same few statements (a second's fires, a burst of heartbeats): each text is
        // prepared once per transaction and run again with the next write's values, not parsed again for every write.
        var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        try
        {
            // PostgreSQL aborts a whole transaction at its first failing statement: there each write of a batch runs in
            // a savepoint, so that it fails alone. SQLite undoes only the failing statement and the transaction goes on
            // (its default conflict resolution, ABORT), so its writes need none: a write is then one statement, not
            // three. A lone write needs no savepoint either (its failure fails the transaction, which holds only it).
            var isolate = batch.Count > 1 && _database.Kind == DatabaseKind.PostgreSql;
            var failsAlone = batch.Count > 1;
            foreach (var write in batch)
            {
                if (isolate)
                {
                    await Run("SAVEPOINT w");
                }

                try
                {
                    var command = Command(write.Sql, write.Parameters);
                    _database.CountWrite();
                    Interlocked.Increment(ref _sends);
                    var answer = write.Map is { } map ? await ReadRowAsync(command, map)
                        : write.Scalar ? await command.ExecuteScalarAsync()
                        : await command.ExecuteNonQueryAsync();
                    if (isolate)
                    {
                        await Run("RELEASE SAVEPOINT w");
                    }

                    answers.Add((write, answer, null));
                }
                catch (DbException e) when (failsAlone && (isolate || OrchestratorDatabase.IsInTransaction(connection)))
                {
                    // Only this statement is undone; the transaction goes on with the others (and its command is not run
                    // again). On SQLite an error that ended the transaction itself (a full disk, an I/O error) is not
                    // caught here: it fails the whole batch, none of which is committed.
                    if (commands.Remove(write.Sql, out var failed))
                    {
                        await failed.DisposeAsync();
                    }

                    if (isolate)
                    {
                        await Run("ROLLBACK TO SAVEPOINT w");
                        await Run("RELEASE SAVEPOINT w");
                    }

                    answers.Add((write, null, e));
                }
            }

            Interlocked.Increment(ref _sends);
            await transaction.CommitAsync();
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }
        }

        DbCommand Command(string sql, (string Name, object? Value)[] parameters)
        {
            if (commands.TryGetValue(sql, out var prepared) && OrchestratorDatabase.TryRebind(prepared, parameters))
            {
                return prepared;
            }

            var command = OrchestratorDatabase.CreateCommand(connection, sql, parameters);
            command.Transaction = transaction;
            if (commands.Remove(sql, out var other))
            {
                // Same text, other parameter names: rare; the newer one is kept.
                other.Dispose();
            }

            commands[sql] = command;
            return command;
        }

        async Task Run(string sql)
        {
            Interlocked.Increment(ref _sends);
            await Command(sql, []).ExecuteNonQueryAsync();
        }
    }

    private static async Task<object?> ReadRowAsync(DbCommand command, Func<DbDataReader, object?> map)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var row = await reader.ReadAsync() ? map(reader) : null;

        // The statement runs to its end before the next one runs on the connection.
        while (await reader.ReadAsync())
        {
        }

        return row;
    }

    private sealed record Pending(
        string Sql, (string Name, object? Value)[] Parameters, bool Scalar, Func<DbDataReader, object?>? Map, TaskCompletionSource<object?> Done)
    {
        /// <summary>A write that goes into the same transaction right after this one.</summary>
        public Pending? Then { get; init; }
    }
}
