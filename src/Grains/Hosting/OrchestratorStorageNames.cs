namespace Orchestrator.Hosting;

/// <summary>Names under which storage providers are registered with Orleans.</summary>
public static class OrchestratorStorageNames
{
    /// <summary>The Orleans grain storage that holds coordination state (ADO.NET on SQLite or PostgreSQL).</summary>
    public const string GrainState = "orchestrator";
}
