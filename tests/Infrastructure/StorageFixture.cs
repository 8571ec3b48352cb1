namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Hosts for the storage tests: the suite's hosts allow one-megabyte files (a 413 stays cheap), and storage must
/// show multi-megabyte files round-trip, so these allow <see cref="MaxFileBytes"/>.
/// </summary>
public static class StorageFixture
{
    public const int MaxFileBytes = 5 * 1024 * 1024;

    public static Dictionary<string, string?> With(Dictionary<string, string?> settings)
    {
        settings["Orchestrator:MaxFileBytes"] = MaxFileBytes.ToString();
        return settings;
    }
}

/// <summary>One embedded-wiring host for the storage tests, on a data folder of its own.</summary>
public sealed class EmbeddedStorageFixture : OrchestratorFixture
{
    private readonly string _dataPath = TempFolder.Create("storage");

    protected override Task<IReadOnlyList<Dictionary<string, string?>>> HostSettingsAsync() =>
        Task.FromResult<IReadOnlyList<Dictionary<string, string?>>>([StorageFixture.With(new() { ["Orchestrator:DataPath"] = _dataPath })]);

    protected override Task AfterHostsStoppedAsync()
    {
        TempFolder.Delete(_dataPath);
        return Task.CompletedTask;
    }
}

/// <summary>One cluster-wiring host for the storage tests, on a database of its own on the run's PostgreSQL server.</summary>
public sealed class PostgresStorageFixture : OrchestratorFixture
{
    protected override async Task<IReadOnlyList<Dictionary<string, string?>>> HostSettingsAsync()
    {
        var server = await PostgresServer.AcquireAsync();
        var connectionString = await server.CreateDatabaseAsync();
        return [StorageFixture.With(OrchestratorTestHost.ClusterSettings(connectionString))];
    }

    protected override Task AfterHostsStoppedAsync() => PostgresServer.ReleaseAsync();
}
