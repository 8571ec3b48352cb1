namespace Orchestrator.Tests.Infrastructure;

/// <summary>One orchestrator on the embedded wiring: SQLite under a temp data folder.</summary>
public sealed class EmbeddedFixture : OrchestratorFixture
{
    private readonly string _dataPath = TempFolder.Create("embedded");

    /// <summary>The host's data folder, for tests that look at what was stored.</summary>
    public string DataPath => _dataPath;

    protected override Task<IReadOnlyList<Dictionary<string, string?>>> HostSettingsAsync() =>
        Task.FromResult<IReadOnlyList<Dictionary<string, string?>>>([new() { ["Orchestrator:DataPath"] = _dataPath }]);

    protected override Task AfterHostsStoppedAsync()
    {
        TempFolder.Delete(_dataPath);
        return Task.CompletedTask;
    }
}
