using Orchestrator.Api.Http;
using Orchestrator.Queues;

namespace Orchestrator.Api.Views;

/// <summary>A queue as /api/queue/read answers it, with how many of its live tasks are in each status.</summary>
public sealed record QueueView(
    long id,
    Guid guid,
    string name,
    string description,
    int auto_change_status,
    int unique_tasks,
    string created,
    string updated,
    int is_deleted,
    long account_id,
    QueueCountsView tasks)
{
    public static QueueView From(QueueInfo q) => new(
        q.Id,
        q.Guid,
        q.Name,
        q.Description,
        q.AutoChangeStatus ? 1 : 0,
        q.UniqueTasks ? 1 : 0,
        JsonFormats.Timestamp(q.Created),
        JsonFormats.Timestamp(q.Updated),
        0,
        q.AccountId,
        new QueueCountsView(q.Counts[0], q.Counts[1], q.Counts[2], q.Counts[3], q.Counts[4], q.Counts[5], q.Counts.Sum()));
}

/// <summary>How many live tasks a queue has in each status (API.md §2), and in all.</summary>
public sealed record QueueCountsView(long @new, long in_progress, long successful, long failed, long abandoned, long retried, long total);
