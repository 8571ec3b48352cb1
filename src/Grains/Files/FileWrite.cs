namespace Orchestrator.Files;

/// <summary>The outcome of a write on a storage file: done, or which of the records it names is not (or no longer) there.</summary>
public enum FileWrite
{
    Done = 0,
    FileNotFound = 1,
    FolderNotFound = 2,
}
