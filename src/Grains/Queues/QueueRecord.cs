using Orchestrator.Records;

namespace Orchestrator.Queues;

/// <summary>A row of the <c>queues</c> table (its task counts are read apart, fresh, by <see cref="QueueRecords.CountsAsync"/>).</summary>
public sealed record QueueRecord(
    long Id,
    Guid Guid,
    long AccountId,
    string Name,
    string Description,
    bool UniqueTasks,
    bool AutoChangeStatus,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord;
