using Orchestrator.Records;

namespace Orchestrator.Files;

/// <summary>
/// A row of the <c>files</c> table (API.md §12), with the folder it is in (none: the account's top level) and the
/// size and hash of the bytes it refers to.
/// </summary>
public sealed record FileRecord(
    long Id,
    Guid Guid,
    long AccountId,
    long? FolderId,
    Guid? FolderGuid,
    string Name,
    StoredFile File,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord;
