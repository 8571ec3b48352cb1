namespace Orchestrator.Queues;

/// <summary>
/// One of a robot's hot-path calls to a queue, sent with others in <see cref="IQueueGrain.RunManyAsync"/>: a take for
/// <see cref="Job"/> (as <see cref="IQueueGrain.TakeForJobAsync"/>) when <see cref="Task"/> is null, else the update
/// <see cref="Change"/> of that task (as <see cref="IQueueGrain.UpdateTaskAsync"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.queue-call")]
public sealed record QueueCall(
    [property: Id(0)] Guid Job,
    [property: Id(1)] Guid? Robot,
    [property: Id(2)] Guid? Task,
    [property: Id(3)] TaskChange? Change)
{
    public static QueueCall TakeForJob(Guid job, Guid? robot) => new(job, robot, null, null);

    public static QueueCall UpdateTask(Guid task, TaskChange change) => new(Guid.Empty, null, task, change);
}
