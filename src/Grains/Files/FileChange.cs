namespace Orchestrator.Files;

/// <summary>
/// What a storage file update changes: each field null to keep it. <see cref="Folder"/> moves the file: a folder's
/// id, or <see cref="FolderMove.ToTop"/> for the account's top level.
/// </summary>
public sealed record FileChange(string? Name, FolderMove? Folder, StoredFile? File);

/// <summary>Where an update moves a file: into a folder (by id) or, with a null id, out of any folder.</summary>
public readonly record struct FolderMove(long? FolderId)
{
    public static FolderMove ToTop => new(null);
}
