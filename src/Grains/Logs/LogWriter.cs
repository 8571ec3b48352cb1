using System.Data.Common;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Storage;

namespace Orchestrator.Logs;

/// <summary>
/// The only writer of the <c>logs</c> table, one per silo. Creates are queued; a single loop takes everything
/// queued so far and commits it as one transaction (group commit), then answers each create. While one commit is in
/// flight the next batch gathers, so under load a commit carries thousands of lines and an idle silo still answers
/// a lone create after one short commit. A create is answered only after its transaction is committed: an
/// acknowledged line survives a kill.
/// </summary>
public sealed class LogWriter(OrchestratorDatabase database, ILogger<LogWriter> logger) : IHostedService
{
    /// <summary>Lines per transaction at most; bounds a commit's time and memory.</summary>
    private const int MaxLinesPerCommit = 10_000;

    /// <summary>
    /// Rows per INSERT statement. SQLite finds each named parameter by a scan of the statement's names, so binding
    /// costs the square of their number: short statements there. PostgreSQL binds by position: long ones save round trips.
    /// </summary>
    private readonly int _rowsPerStatement = database.Kind == DatabaseKind.Sqlite ? 16 : 250;

    /// <summary>Lines deleted per purge statement, each its own short transaction so writers never wait long.</summary>
    private const int PurgeChunk = 5_000;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking lines, and commits those already queued before it returns.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Writes the lines; completes once they are committed, or fails if their transaction did.</summary>
    public Task WriteAsync(IReadOnlyList<LogLine> lines)
    {
        if (lines.Count == 0)
        {
            return Task.CompletedTask;
        }

        var pending = new Pending(lines, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The log writer is stopping: the silo is shutting down.");
        }

        return pending.Committed.Task;
    }

    /// <summary>Deletes the account's lines created before <paramref name="before"/>, a chunk per transaction.</summary>
    public async Task<long> PurgeAsync(long accountId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        long total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var deleted = await database.ExecuteAsync(
                """
                DELETE FROM logs WHERE id IN (
                    SELECT id FROM logs WHERE account_id = @account AND created_at < @before ORDER BY id LIMIT @chunk)
                """,
                ("@account", accountId),
                ("@before", before),
                ("@chunk", PurgeChunk));
            total += deleted;
            if (deleted < PurgeChunk)
            {
                break;
            }
        }

        return total;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync())
        {
            var lines = 0;
            while (lines < MaxLinesPerCommit && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                lines += pending.Lines.Count;
            }

            try
            {
                await CommitAsync(batch);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetResult();
                }
            }
            catch (Exception e)
            {
                logger.LogError(e, "A batch of {Lines} log lines could not be committed", lines);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var rows = new List<LogLine>(_rowsPerStatement);
        foreach (var line in batch.SelectMany(p => p.Lines))
        {
            rows.Add(line);
            if (rows.Count == _rowsPerStatement)
            {
                await InsertAsync(connection, transaction, rows);
                rows.Clear();
            }
        }

        if (rows.Count > 0)
        {
            await InsertAsync(connection, transaction, rows);
        }

        await transaction.CommitAsync();
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, List<LogLine> rows)
    {
        var sql = new StringBuilder(
            "INSERT INTO logs (guid, account_id, robot_guid, robot_id, job_guid, process_version_guid, level, message, created_at, updated_at) VALUES ");
        var parameters = new (string, object?)[rows.Count * 8];
        for (var i = 0; i < rows.Count; i++)
        {
            var line = rows[i];
            if (i > 0)
            {
                sql.Append(',');
            }

            // The robot's numeric id where the GUID names one of the account's robots; the GUID is kept either way.
            sql.Append($"(@g{i}, @a{i}, @r{i}, (SELECT id FROM robots WHERE guid = @r{i} AND account_id = @a{i}), @j{i}, @p{i}, @l{i}, @m{i}, @t{i}, @t{i})");
            parameters[(i * 8) + 0] = ($"@g{i}", line.Guid);
            parameters[(i * 8) + 1] = ($"@a{i}", line.AccountId);
            parameters[(i * 8) + 2] = ($"@r{i}", line.RobotGuid?.ToString("D") ?? (object?)DBNull.Value);
            parameters[(i * 8) + 3] = ($"@j{i}", line.JobGuid?.ToString("D"));
            parameters[(i * 8) + 4] = ($"@p{i}", line.ProcessVersionGuid?.ToString("D"));
            parameters[(i * 8) + 5] = ($"@l{i}", line.Level);
            parameters[(i * 8) + 6] = ($"@m{i}", line.Message);
            parameters[(i * 8) + 7] = ($"@t{i}", line.Created);
        }

        await using var command = OrchestratorDatabase.CreateCommand(connection, sql.ToString(), parameters);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Pending(IReadOnlyList<LogLine> Lines, TaskCompletionSource Committed);
}
