using System.Data.Common;
using System.Globalization;
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

    /// <summary>The parameters of one row of the INSERT.</summary>
    private const int ColumnsPerRow = 11;

    /// <summary>Lines deleted per purge statement, each its own short transaction so writers never wait long.</summary>
    private const int PurgeChunk = 5_000;

    private readonly LogReferences _references = new();

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
        if (_loop is null)
        {
            return;
        }

        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's stop ran out of time. Lines not yet committed were never answered: their writers were not told
            // they are stored, and send them again.
            logger.LogWarning("The silo stopped before the log lines it had queued were written; their writers had no answer.");
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

        // References resolve before the transaction: reads, mostly from memory, that need not hold the write lock.
        var rows = new List<LogRow>();
        foreach (var pending in batch)
        {
            foreach (var line in pending.Lines)
            {
                rows.Add(await _references.ResolveAsync(connection, line));
            }
        }

        await using var transaction = await connection.BeginTransactionAsync();

        // One statement of _rowsPerStatement rows serves every full chunk: built and prepared once per commit, then
        // only re-bound. The rest goes in one shorter statement.
        var full = rows.Count / _rowsPerStatement;
        if (full > 0)
        {
            await using var command = InsertCommand(connection, transaction, _rowsPerStatement);
            for (var chunk = 0; chunk < full; chunk++)
            {
                Bind(command, rows, chunk * _rowsPerStatement, _rowsPerStatement);
                await command.ExecuteNonQueryAsync();
            }
        }

        var rest = rows.Count - (full * _rowsPerStatement);
        if (rest > 0)
        {
            await using var command = InsertCommand(connection, transaction, rest);
            Bind(command, rows, full * _rowsPerStatement, rest);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static DbCommand InsertCommand(DbConnection connection, DbTransaction transaction, int rows)
    {
        var sql = new StringBuilder(
            "INSERT INTO logs (guid, account_id, robot_guid, robot_id, job_guid, job_id, process_version_guid, process_version_id, level, message, created_at, updated_at) VALUES ");
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i > 0 ? "," : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"(@g{i}, @a{i}, @r{i}, @ri{i}, @j{i}, @ji{i}, @p{i}, @pi{i}, @l{i}, @m{i}, @t{i}, @t{i})");
            foreach (var name in (ReadOnlySpan<string>)["@g", "@a", "@r", "@ri", "@j", "@ji", "@p", "@pi", "@l", "@m", "@t"])
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name + i.ToString(CultureInfo.InvariantCulture);
                command.Parameters.Add(parameter);
            }
        }

        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>Sets the statement's parameters to <paramref name="count"/> rows from <paramref name="first"/>, as the store keeps them (GUIDs as text, times as Unix ms).</summary>
    private static void Bind(DbCommand command, List<LogRow> rows, int first, int count)
    {
        var parameters = command.Parameters;
        for (var i = 0; i < count; i++)
        {
            var row = rows[first + i];
            var line = row.Line;
            var p = i * ColumnsPerRow;
            parameters[p].Value = line.Guid.ToString("D");
            parameters[p + 1].Value = line.AccountId;
            parameters[p + 2].Value = Text(line.RobotGuid);
            parameters[p + 3].Value = Number(row.RobotId);
            parameters[p + 4].Value = Text(line.JobGuid);
            parameters[p + 5].Value = Number(row.JobId);
            parameters[p + 6].Value = Text(row.ProcessVersionGuid);
            parameters[p + 7].Value = Number(row.ProcessVersionId);
            parameters[p + 8].Value = line.Level;
            parameters[p + 9].Value = line.Message;
            parameters[p + 10].Value = line.Created.ToUnixTimeMilliseconds();
        }

        static object Text(Guid? guid) => guid is { } g ? g.ToString("D") : DBNull.Value;

        static object Number(long? value) => value is { } v ? v : DBNull.Value;
    }

    private sealed record Pending(IReadOnlyList<LogLine> Lines, TaskCompletionSource Committed);
}
