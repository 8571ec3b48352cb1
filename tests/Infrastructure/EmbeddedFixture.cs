using Orchestrator.Storage;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>One orchestrator on the embedded wiring: SQLite under a temp data folder.</summary>
public sealed class EmbeddedFixture() : OrchestratorFixture(DatabaseKind.Sqlite, "embedded")
{
    /// <summary>The host's data folder, for tests that look at what was stored.</summary>
    public string DataPath => Store.DataPath!;
}
