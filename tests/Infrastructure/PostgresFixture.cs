namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Two orchestrator silos on the cluster wiring, sharing a PostgreSQL database of their own on the run's
/// throwaway server: the HTTP suite runs against the first, cross-silo tests use both.
/// </summary>
public sealed class PostgresFixture : OrchestratorFixture
{
    protected override async Task<IReadOnlyList<Dictionary<string, string?>>> HostSettingsAsync()
    {
        var server = await PostgresServer.AcquireAsync();
        var connectionString = await server.CreateDatabaseAsync();
        return
        [
            OrchestratorTestHost.ClusterSettings(connectionString),
            OrchestratorTestHost.ClusterSettings(connectionString),
        ];
    }

    protected override Task AfterHostsStoppedAsync() => PostgresServer.ReleaseAsync();
}
