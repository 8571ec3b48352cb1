using System.Collections.Concurrent;

namespace Orchestrator.Api.Http;

/// <summary>
/// The queue of each task this silo handed out and has not yet seen completed, so that the robot's completion
/// goes straight to that queue's grain instead of first looking the task up in the database. A task never
/// changes queue, and the grain still checks that the caller owns the queue and that the task is in it, so an
/// entry can only save a query, never widen what a caller reaches. A completion through another silo, or of a
/// task taken before a restart, finds no entry and looks the task up as before.
/// </summary>
public sealed class TakenTasks
{
    /// <summary>Tasks taken and never completed here (a robot lost mid-task) would otherwise stay forever.</summary>
    internal const int Capacity = 100_000;

    private readonly ConcurrentDictionary<Guid, Guid> _queueOf = new();

    // ConcurrentDictionary.Count takes every lock of the table: the bound is kept on a counter of its own.
    private int _count;

    public void Taken(Guid task, Guid queue)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            _queueOf.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        if (!_queueOf.TryAdd(task, queue))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>The queue of a task taken here; the entry is spent.</summary>
    public bool TryTakeQueueOf(Guid task, out Guid queue)
    {
        if (!_queueOf.TryRemove(task, out queue))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }
}
