namespace Orchestrator.Hosting;

/// <summary>Names under which storage providers are registered with Orleans.</summary>
public static class OrchestratorStorageNames
{
    /// <summary>The Orleans grain storage that holds coordination state (the orchestrator's database, by group commit).</summary>
    public const string GrainState = "orchestrator";

    /// <summary>The Orleans ADO.NET grain storage that held coordination state before; read for what is not moved yet.</summary>
    public const string EarlierGrainState = "orchestrator-adonet";
}
