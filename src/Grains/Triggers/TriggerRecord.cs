using Orchestrator.Records;

namespace Orchestrator.Triggers;

/// <summary>
/// A row of the <c>triggers</c> table: the definition, and what the trigger has done. <see cref="LastOccurrence"/> is
/// the latest occurrence the trigger has dealt with (fired or skipped), the mark the next one is looked for after;
/// <see cref="LastJobGuid"/> is the job of its latest fire.
/// </summary>
public sealed record TriggerRecord(
    long Id,
    Guid Guid,
    long AccountId,
    TriggerDefinition Definition,
    long Runs,
    long Skipped,
    DateTimeOffset LastOccurrence,
    DateTimeOffset? LastRunAt,
    Guid? LastJobGuid,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord;
