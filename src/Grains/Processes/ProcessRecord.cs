using Orchestrator.Records;

namespace Orchestrator.Processes;

/// <summary>A row of the <c>processes</c> table.</summary>
public sealed record ProcessRecord(
    long Id,
    Guid Guid,
    long AccountId,
    string Name,
    string Description,
    decimal? MinVersionToRun,
    ProcessType ProcessType,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord;
