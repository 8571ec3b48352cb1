namespace Orchestrator.Queues;

/// <summary>A task's lifecycle (API.md §2).</summary>
[GenerateSerializer, Alias("orchestrator.queue-task-status")]
public enum QueueTaskStatus
{
    New = 0,
    InProgress = 1,
    Successful = 2,
    Failed = 3,
    Abandoned = 4,
    Retried = 5,
}
