using Orchestrator.Files;
using Orchestrator.Records;

namespace Orchestrator.Processes;

/// <summary>A row of the <c>process_versions</c> table, with the size and hash of the file it refers to.</summary>
public sealed record ProcessVersionRecord(
    long Id,
    Guid Guid,
    long AccountId,
    long ProcessId,
    string Name,
    string Description,
    string FileName,
    StoredFile File,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord;
