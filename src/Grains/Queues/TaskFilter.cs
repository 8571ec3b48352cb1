namespace Orchestrator.Queues;

/// <summary>
/// The filters of POST /api/task/filter/list (API.md §9), all optional. Results are in id order; <see cref="After"/>
/// pages by key (the id of the last task of the previous page), which stays exact however the queue changes.
/// </summary>
public sealed record TaskFilter(
    QueueTaskStatus? Status = null,
    string? Tag = null,
    string? NamePrefix = null,
    string? Name = null,
    Guid? Guid = null,
    int? Priority = null,
    Guid? Job = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    DateTimeOffset? DeadlineBefore = null,
    long? After = null,
    int Skip = 0,
    int Take = 100);
