using Orchestrator.Records;

namespace Orchestrator.Files;

/// <summary>A row of the <c>folders</c> table (API.md §12): a named place for an account's files.</summary>
public sealed record FolderRecord(
    long Id,
    Guid Guid,
    long AccountId,
    string Name,
    string Description,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord;
