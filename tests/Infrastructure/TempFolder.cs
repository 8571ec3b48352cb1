namespace Orchestrator.Tests.Infrastructure;

public static class TempFolder
{
    /// <summary>
    /// A new folder <c>orchestrator-{purpose}-{process id}-{unique}</c> under the temp folder. The id of the test
    /// process in the name lets a later run tell an abandoned folder (its process is gone) from one that a run
    /// still going, perhaps of another checkout, is using.
    /// </summary>
    public static string Create(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orchestrator-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection; the OS temp folder is cleaned eventually.
        }
    }
}
