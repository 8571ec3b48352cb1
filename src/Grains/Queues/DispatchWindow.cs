namespace Orchestrator.Queues;

/// <summary>A New task's place in the dispatch order: priority high first, then deadline soonest, then oldest (lowest id).</summary>
public readonly record struct DispatchPlace(int Priority, long DeadlineOrder, long Id) : IComparable<DispatchPlace>
{
    public int CompareTo(DispatchPlace other)
    {
        var byPriority = other.Priority.CompareTo(Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byDeadline = DeadlineOrder.CompareTo(other.DeadlineOrder);
        return byDeadline != 0 ? byDeadline : Id.CompareTo(other.Id);
    }

    /// <summary>Within one priority: whether this place comes after (deadline, id) = <paramref name="cursor"/>.</summary>
    public bool IsAfter((long DeadlineOrder, long Id) cursor) =>
        DeadlineOrder > cursor.DeadlineOrder || (DeadlineOrder == cursor.DeadlineOrder && Id > cursor.Id);
}

/// <summary>
/// A queue grain's bounded read-ahead of its dispatch order: the next eligible tasks' places, fetched a window at
/// a time, so that a take is one UPDATE by primary key rather than a search of the dispatch index. Per priority,
/// a cursor remembers where the last fetch stopped, so the next one starts there; on PostgreSQL that skips the
/// index entries of tasks already taken, which stay in the index until vacuum and would otherwise be read again
/// by every take.
/// </summary>
/// <remarks>
/// It is advice, never authority: a take still checks in its UPDATE that the task is New and eligible, so a
/// stale place costs one statement and can never hand a task out twice. Every write of the queue grain that
/// makes a task eligible tells the window (<see cref="Eligible"/>), which keeps it ahead of the cursor; a fetch
/// that finds nothing starts again from the top before the queue is called empty, and a failed commit resets
/// it, so no task is passed over for good.
/// </remarks>
public sealed class DispatchWindow
{
    /// <summary>The priorities of the dispatch index (API.md §9: 0 low, 1 normal, 2 high), highest first.</summary>
    public static readonly int[] Priorities = [2, 1, 0];

    private static readonly (long, long) Top = (long.MinValue, long.MinValue);

    private readonly SortedSet<DispatchPlace> _places = [];
    private readonly Dictionary<int, (long DeadlineOrder, long Id)> _cursors = [];

    public DispatchWindow(int size)
    {
        Size = size;
        Reset();
    }

    /// <summary>How many places a fetch reads and the window holds at most.</summary>
    public int Size { get; }

    public int Count => _places.Count;

    /// <summary>Whether every cursor is at the top, so a fetch that finds nothing means the queue has no eligible task.</summary>
    public bool FromTop => _cursors.Values.All(c => c == Top);

    /// <summary>Where the next fetch starts, per priority: the tasks after (deadline, id).</summary>
    public (long DeadlineOrder, long Id) CursorOf(int priority) => _cursors.TryGetValue(priority, out var cursor) ? cursor : Top;

    /// <summary>Forgets every place and starts the next fetch from the top of the dispatch order.</summary>
    public void Reset()
    {
        _places.Clear();
        _cursors.Clear();
        foreach (var priority in Priorities)
        {
            _cursors[priority] = Top;
        }
    }

    /// <summary>Takes the first place of the window, if any.</summary>
    public bool TryTake(out DispatchPlace place)
    {
        if (_places.Count == 0)
        {
            place = default;
            return false;
        }

        place = _places.Min;
        _places.Remove(place);
        return true;
    }

    /// <summary>Adds what a fetch read (each priority's places in order, after its cursor) and moves the cursors past them.</summary>
    public void Fill(IEnumerable<DispatchPlace> fetched)
    {
        foreach (var place in fetched.Order().Take(Size))
        {
            _places.Add(place);
            if (place.IsAfter(CursorOf(place.Priority)))
            {
                _cursors[place.Priority] = (place.DeadlineOrder, place.Id);
            }
        }
    }

    /// <summary>
    /// A task became eligible (created, put back to New, released from postponement, or moved in the order). A later
    /// fetch finds it when it lies after its priority's cursor and behind every place the window holds; otherwise
    /// the window takes it now, handing its last place back to the index (its cursor moves back before it) when full.
    /// </summary>
    public void Eligible(DispatchPlace place)
    {
        var found = place.IsAfter(CursorOf(place.Priority));
        if (found && (_places.Count == 0 || place.CompareTo(_places.Max) > 0))
        {
            return;
        }

        _places.Add(place);
        if (_places.Count > Size)
        {
            var last = _places.Max;
            _places.Remove(last);
            var before = (last.DeadlineOrder, last.Id - 1);
            if (!new DispatchPlace(last.Priority, before.DeadlineOrder, before.Item2).IsAfter(CursorOf(last.Priority)))
            {
                _cursors[last.Priority] = before;
            }
        }
    }

    /// <summary>A task left the dispatch order other than by a take (deleted, completed while New, postponed, or moved).</summary>
    public void Removed(DispatchPlace place) => _places.Remove(place);
}
