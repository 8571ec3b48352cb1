using System.Collections.Concurrent;
using Orchestrator.Robots;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Sees robot long-polls from inside the silos of the test process (an incoming grain call filter that every
/// test host and the test cluster install), so a test can wait until a poll is really waiting in its robot
/// grain before it does what should wake it, and can see the wait end there. Without it, an enqueue that
/// arrives before the poll waits passes the test without waking anything.
/// </summary>
public sealed class LongPollProbe : IIncomingGrainCallFilter
{
    /// <summary>One probe for the whole test process: a robot grain may live in any of its silos.</summary>
    public static LongPollProbe Instance { get; } = new();

    private readonly ConcurrentDictionary<GrainId, LongPollWatch> _watches = new();

    private LongPollProbe()
    {
    }

    /// <summary>Starts watching the long-polls of <paramref name="robot"/>; call it before the poll is sent.</summary>
    public LongPollWatch Watch(IRobotGrain robot)
    {
        var watch = new LongPollWatch();
        _watches[robot.GetGrainId()] = watch;
        return watch;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name != nameof(IRobotGrain.WaitForCommandsAsync) || !_watches.TryGetValue(context.TargetId, out var watch))
        {
            await context.Invoke();
            return;
        }

        // The grain method runs synchronously up to its first await: an invocation that is not complete when
        // Invoke returns is a poll parked in the grain, registered as waiting.
        var invocation = context.Invoke();
        if (!invocation.IsCompleted)
        {
            watch.Waiting.TrySetResult();
        }

        try
        {
            await invocation;
        }
        finally
        {
            watch.Ended.TrySetResult(context.Result as bool?);
        }
    }
}

/// <summary>The first long-poll of one robot grain: when it is waiting in the grain, and when (and how) it ended there.</summary>
public sealed class LongPollWatch
{
    /// <summary>How long a test waits for a poll to reach its grain or to end before it gives up.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    internal TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TaskCompletionSource<bool?> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a poll is parked in the grain, waiting for a command.</summary>
    public Task WaitingAsync() => Waiting.Task.WaitAsync(Patience);

    /// <summary>Completes when the poll has returned from the grain, with what it returned (null if it threw).</summary>
    public Task<bool?> EndedAsync() => Ended.Task.WaitAsync(Patience);
}
