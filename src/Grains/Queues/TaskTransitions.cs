namespace Orchestrator.Queues;

/// <summary>
/// The status changes PUT /api/task/update may make. A New task may be set InProgress, as the vendor document's own
/// example does (its clients have no /api/task/next; unlike a take, that binds the task to no job and does not stop a
/// second client doing the same); it ends Successful or Failed; Failed and Abandoned tasks may be put back to New;
/// Successful and Retried are final (a retried task lives on in its retry). Anything else is refused as a conflict,
/// not overwritten.
/// </summary>
public static class TaskTransitions
{
    public static bool IsAllowed(QueueTaskStatus from, QueueTaskStatus to) => (from, to) switch
    {
        (QueueTaskStatus.New, QueueTaskStatus.InProgress or QueueTaskStatus.Successful or QueueTaskStatus.Failed) => true,
        (QueueTaskStatus.InProgress, QueueTaskStatus.New or QueueTaskStatus.Successful or QueueTaskStatus.Failed or QueueTaskStatus.Abandoned) => true,
        (QueueTaskStatus.Failed or QueueTaskStatus.Abandoned, QueueTaskStatus.New) => true,
        _ => false,
    };
}
