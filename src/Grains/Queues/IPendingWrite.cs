namespace Orchestrator.Queues;

/// <summary>A task write waiting in a queue grain's group commit, its result answered once its batch has committed.</summary>
internal interface IPendingWrite
{
    /// <summary>The statement to send ahead, kept for <see cref="RunAsync"/>; null when it has none.</summary>
    AheadStatement? Plan();

    /// <summary>Drops what an earlier attempt at its batch sent ahead.</summary>
    void Forget();

    /// <summary>A take or an update of a task: the statements a queue's batches run again and again.</summary>
    bool Repeats { get; }

    Task RunAsync(TaskTransaction tx);

    void Acknowledge();

    void RefuseName();

    void Fail(Exception error);
}
