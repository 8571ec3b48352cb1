using Orchestrator.Queues;

namespace Orchestrator.Tests.Queues;

/// <summary>The queue grain's read-ahead of its dispatch order, on its own.</summary>
public sealed class DispatchWindowTests
{
    private const long None = long.MaxValue;

    [Fact]
    public void A_fill_keeps_the_first_places_in_dispatch_order_and_moves_each_cursor_past_what_it_kept()
    {
        var window = new DispatchWindow(3);

        window.Fill([new(1, None, 10), new(1, None, 11), new(2, None, 30), new(0, None, 5), new(1, None, 12)]);

        Assert.Equal([30, 10, 11], Drain(window));
        Assert.Equal((None, 30L), window.CursorOf(2));
        Assert.Equal((None, 11L), window.CursorOf(1));

        // Nothing of priority 0 was kept, so the next fetch reads it from the top.
        Assert.Equal((long.MinValue, long.MinValue), window.CursorOf(0));
    }

    [Fact]
    public void A_task_ahead_of_the_window_joins_it_and_one_behind_is_left_to_the_next_fetch()
    {
        var window = new DispatchWindow(4);
        window.Fill([new(1, None, 10), new(1, None, 11)]);

        window.Eligible(new(2, None, 50));   // higher priority: ahead of everything held
        window.Eligible(new(1, 100, 60));    // a deadline: ahead of the tasks without one
        window.Eligible(new(1, None, 70));   // newest of its priority, after the cursor: the next fetch finds it

        Assert.Equal([50, 60, 10, 11], Drain(window));
    }

    [Fact]
    public void A_task_put_back_before_the_cursor_joins_the_window_even_when_it_is_empty()
    {
        var window = new DispatchWindow(4);
        window.Fill([new(1, None, 10), new(1, None, 11)]);
        Drain(window);

        window.Eligible(new(1, None, 10));

        Assert.Equal([10], Drain(window));
    }

    [Fact]
    public void A_full_window_hands_its_last_place_back_and_moves_that_cursor_back_before_it()
    {
        var window = new DispatchWindow(2);
        window.Fill([new(1, None, 10), new(1, None, 11)]);

        window.Eligible(new(2, None, 40));

        Assert.Equal((None, 10L), window.CursorOf(1));
        Assert.Equal([40, 10], Drain(window));
    }

    [Fact]
    public void Reset_forgets_the_places_and_starts_from_the_top()
    {
        var window = new DispatchWindow(2);
        window.Fill([new(1, None, 10)]);
        Assert.False(window.FromTop);

        window.Reset();

        Assert.True(window.FromTop);
        Assert.Equal(0, window.Count);
    }

    private static List<long> Drain(DispatchWindow window)
    {
        var ids = new List<long>();
        while (window.TryTake(out var place))
        {
            ids.Add(place.Id);
        }

        return ids;
    }
}
