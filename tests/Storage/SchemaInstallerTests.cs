using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>The schema is applied at every start: a second (and a concurrent) application must change nothing.</summary>
public sealed class SchemaInstallerTests
{
    [Fact]
    public async Task Applying_the_sqlite_schema_twice_changes_nothing()
    {
        var folder = TempFolder.Create("schema");
        try
        {
            await using var database = new OrchestratorDatabase(DatabaseKind.Sqlite, $"Data Source={Path.Combine(folder, "o.db")};Pooling=False");
            await AssertIdempotent(database);
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task Applying_the_postgresql_schema_from_several_silos_at_once_changes_nothing()
    {
        var server = await PostgresServer.AcquireAsync();
        try
        {
            await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, await server.CreateDatabaseAsync());

            var installer = new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance);
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => installer.ApplyAsync()));

            await AssertIdempotent(database);
        }
        finally
        {
            await PostgresServer.ReleaseAsync();
        }
    }

    private static async Task AssertIdempotent(OrchestratorDatabase database)
    {
        var installer = new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance);
        await installer.ApplyAsync();
        var queries = await database.ScalarAsync("SELECT COUNT(*) FROM OrleansQuery");

        await installer.ApplyAsync();

        Assert.Equal(queries, await database.ScalarAsync("SELECT COUNT(*) FROM OrleansQuery"));
        Assert.Equal(SchemaInstaller.Version, await database.ScalarAsync("SELECT MAX(version) FROM orchestrator_schema"));
        Assert.Equal(1, await database.ScalarAsync("SELECT COUNT(*) FROM orchestrator_schema"));
        Assert.True(queries >= 10);
    }
}
