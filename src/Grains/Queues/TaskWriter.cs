using System.Data.Common;
using Orchestrator.Storage;

namespace Orchestrator.Queues;

/// <summary>
/// A queue grain's own SQLite connection, kept across its batches with the commands prepared on it: the statements
/// of a take and a completion, and the batch's own, are prepared once for as long as it lives rather than once a
/// batch, and its page cache stays valid while no other connection writes. Closed when the queue goes idle.
/// </summary>
public sealed class TaskWriter(TaskRecords records) : IAsyncDisposable
{
    private DbConnection? _connection;

    internal Dictionary<string, DbCommand> Commands { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a batch used it since the last <see cref="CloseIfIdleAsync"/>.</summary>
    private bool _used;

    internal async Task<DbConnection> ConnectionAsync(OrchestratorDatabase database)
    {
        _used = true;
        if (_connection is null)
        {
            _connection = await database.OpenAsync();
            records.BatchConnectionOpened(kept: true);
        }

        return _connection;
    }

    /// <summary>Closes the connection when no batch used it since the last call: an idle queue holds none.</summary>
    public async Task CloseIfIdleAsync()
    {
        if (!_used)
        {
            await CloseAsync();
        }

        _used = false;
    }

    /// <summary>Closes the connection and its commands; the next batch opens a new one.</summary>
    public async Task CloseAsync()
    {
        foreach (var command in Commands.Values)
        {
            await command.DisposeAsync();
        }

        Commands.Clear();
        if (_connection is { } connection)
        {
            _connection = null;
            records.WriterClosed();
            await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();
}
