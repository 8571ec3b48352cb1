using Orchestrator.Storage;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// The store a test's orchestrator runs on, on either wiring: a data folder of its own (embedded, SQLite) or a database
/// of its own on the run's PostgreSQL server (cluster). Disposed after the hosts on it stopped: the folder is deleted,
/// the server given back.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(DatabaseKind kind, string? dataPath, string? connectionString)
    {
        Kind = kind;
        DataPath = dataPath;
        ConnectionString = connectionString;
    }

    public DatabaseKind Kind { get; }

    /// <summary>The data folder of the embedded wiring; null on PostgreSQL.</summary>
    public string? DataPath { get; }

    /// <summary>The PostgreSQL database's connection string; null on the embedded wiring.</summary>
    public string? ConnectionString { get; }

    /// <param name="purpose">Names the data folder, so that a leftover one tells which tests made it.</param>
    public static async Task<TestStore> CreateAsync(DatabaseKind kind, string purpose)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            return new TestStore(kind, TempFolder.Create(purpose), null);
        }

        var server = await PostgresServer.AcquireAsync();
        return new TestStore(kind, null, await server.CreateDatabaseAsync());
    }

    /// <summary>What a host needs to run on this store, in a dictionary of its own that a test may add to.</summary>
    public Dictionary<string, string?> HostSettings() =>
        Kind == DatabaseKind.Sqlite
            ? new Dictionary<string, string?> { ["Orchestrator:DataPath"] = DataPath }
            : OrchestratorTestHost.ClusterSettings(ConnectionString!);

    /// <summary>A connection of the test's own to the orchestrator's database.</summary>
    public OrchestratorDatabase Database() =>
        Kind == DatabaseKind.Sqlite ? OrchestratorDatabase.Embedded(DataPath!) : new OrchestratorDatabase(DatabaseKind.PostgreSql, ConnectionString!);

    public async ValueTask DisposeAsync()
    {
        if (DataPath is not null)
        {
            TempFolder.Delete(DataPath);
        }
        else
        {
            await PostgresServer.ReleaseAsync();
        }
    }
}
