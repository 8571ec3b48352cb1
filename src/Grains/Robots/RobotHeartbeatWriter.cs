using System.Threading.Channels;
using Orchestrator.Storage;

namespace Orchestrator.Robots;

/// <summary>
/// Writes robots' last-heartbeat times, the one write a steady heartbeat makes (once per
/// <see cref="RobotOptions.HeartbeatPersistInterval"/>), by group commit: the times of every robot that asks while
/// a transaction commits go into the next one. A robot's heartbeat still answers only once its time is committed,
/// but robots whose intervals elapse together — all of them, after a silo starts — share commits instead of
/// queueing one commit (one fsync on SQLite) each.
/// </summary>
public sealed class RobotHeartbeatWriter : IAsyncDisposable, IDisposable
{
    private const int MaxBatch = 500;

    // Monotonic: a time older than the one stored (a full record write that raced ahead) changes nothing.
    private const string Sql =
        "UPDATE robots SET last_heartbeat_at = @at WHERE id = @id AND (last_heartbeat_at IS NULL OR last_heartbeat_at < @at)";

    private readonly OrchestratorDatabase _database;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public RobotHeartbeatWriter(OrchestratorDatabase database)
    {
        _database = database;
        _writer = Task.Run(WriteBatchesAsync);
    }

    /// <summary>Completes once <paramref name="at"/> is committed as the robot's last heartbeat (or a later one is).</summary>
    public Task WriteAsync(long robotId, DateTimeOffset at)
    {
        var pending = new Pending(robotId, at, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException(new ObjectDisposedException(nameof(RobotHeartbeatWriter)));
    }

    /// <summary>Takes no more times and waits until those already taken are written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    /// <summary>Takes no more times; those already taken are still written.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private async Task WriteBatchesAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await _database.ExecuteAllAsync(batch.Select(p => (Sql, new (string, object?)[] { ("@id", p.RobotId), ("@at", p.At) })).ToArray());
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
            }

            batch.Clear();
        }
    }

    private sealed record Pending(long RobotId, DateTimeOffset At, TaskCompletionSource Done);
}
