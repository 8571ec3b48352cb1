namespace Orchestrator.Queues;

/// <inheritdoc cref="IPendingWrite"/>
internal sealed class PendingWrite<T>(Func<AheadStatement?>? plan, Func<TaskTransaction, AheadStatement?, Task<T>> write, T onNameTaken) : IPendingWrite
{
    private readonly TaskCompletionSource<T> _answer = new();
    private T _result = default!;
    private AheadStatement? _ahead;

    public Task<T> Answer => _answer.Task;

    public AheadStatement? Plan() => _ahead = plan?.Invoke();

    public void Forget() => _ahead = null;

    public bool Repeats => plan is not null;

    public async Task RunAsync(TaskTransaction tx)
    {
        // A statement planned but not sent (the batch sent none) is not run: its write runs as it would alone.
        var ahead = _ahead is { Rows: not null } ? _ahead : null;
        _ahead = null;
        _result = await write(tx, ahead);
    }

    public void Acknowledge() => _answer.TrySetResult(_result);

    public void RefuseName() => _answer.TrySetResult(onNameTaken);

    public void Fail(Exception error) => _answer.TrySetException(error);
}
