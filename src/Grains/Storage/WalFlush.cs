using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Storage;

/// <summary>
/// Makes an embedded database's committed transactions durable after their commit, outside SQLite's write lock: the
/// <c>fsync</c> of the write-ahead log that <c>synchronous = FULL</c> runs inside every COMMIT. A writer whose
/// connection runs with <c>synchronous = NORMAL</c> commits without it, starts its next transaction at once, and
/// answers a transaction's callers only once <see cref="FlushAsync"/> has returned, so nothing is answered before
/// it is on disk; the next transaction's statements run while the disk syncs the last one, and one <c>fsync</c>
/// covers every transaction committed before it began. Such a writer leaves the log's checkpoints to this as well
/// (<see cref="CheckpointIfDue"/>).
/// </summary>
/// <remarks>
/// Recovery replays the log's frames up to the last valid commit frame, so a log synced after the commit frame was
/// written holds what a sync inside the commit would have. A checkpoint run with <c>synchronous = NORMAL</c> still
/// syncs the log before copying it into the database and the database after, and the log is deleted only once the
/// last connection has checkpointed it, so a log that is gone has nothing left to sync.
/// </remarks>
public sealed class WalFlush(string databasePath, string connectionString)
{
    /// <summary>How often at most the log is checkpointed into the database, a writer having left that to this.</summary>
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromMilliseconds(200);

    private readonly string _walPath = databasePath + "-wal";
    private readonly string _checkpointConnection = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
    private readonly Lock _lock = new();
    private readonly Stopwatch _sinceCheckpoint = Stopwatch.StartNew();
    private List<TaskCompletionSource> _waiting = [];
    private bool _flushing;
    private int _checkpointing;
    private long _flushes;
    private long _checkpoints;

    /// <summary><c>fsync</c>s of the log since start; lets tests and benchmarks see flushes being shared.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Checkpoints run since start, on a connection of their own.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Called before each <c>fsync</c>; lets a test hold one to prove nothing is answered before it.</summary>
    public Func<Task>? BeforeSync { get; set; }

    /// <summary>Completes once everything written to the log before this call is on disk.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add(done);
            if (_flushing)
            {
                // The sync under way may have begun before this caller's commit: it waits for the next.
                return done.Task;
            }

            _flushing = true;
        }

        // On a thread of its own turn: the caller's grain goes on with its next transaction meanwhile.
        _ = Task.Run(SyncWhileAskedAsync);
        return done.Task;
    }

    private async Task SyncWhileAskedAsync()
    {
        while (true)
        {
            List<TaskCompletionSource> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                batch = _waiting;
                _waiting = [];
            }

            try
            {
                if (BeforeSync is { } before)
                {
                    await before();
                }

                Sync();
                batch.ForEach(b => b.TrySetResult());
                CheckpointIfDue();
            }
            catch (Exception e)
            {
                batch.ForEach(b => b.TrySetException(e));
            }
        }
    }

    /// <summary>
    /// A writer that defers the log's sync leaves the checkpoint to this too (<c>wal_autocheckpoint = 0</c>): copying
    /// the log into the database, and the two syncs around it, would otherwise run inside one of its commits every
    /// thousand pages, and hold up every write of the queue behind it. A passive checkpoint waits on no writer.
    /// </summary>
    private void CheckpointIfDue()
    {
        if (_sinceCheckpoint.Elapsed < CheckpointEvery || Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using var connection = new SqliteConnection(_checkpointConnection);
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                await command.ExecuteNonQueryAsync();
                Interlocked.Increment(ref _checkpoints);
            }
            catch (SqliteException)
            {
                // Busy or locked: the next sync tries again, and the pool's connections still checkpoint on their own.
            }
            finally
            {
                _sinceCheckpoint.Restart();
                Volatile.Write(ref _checkpointing, 0);
            }
        });
    }

    private void Sync()
    {
        Interlocked.Increment(ref _flushes);
        try
        {
            // fsync flushes the file, not the descriptor: one opened here syncs what SQLite's connections wrote.
            using var log = File.OpenHandle(_walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(log);
        }
        catch (FileNotFoundException)
        {
            // The last connection closed: it checkpointed the log into the database, synced it, and deleted the log.
        }
    }
}
