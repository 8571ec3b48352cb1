using Npgsql;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// PostgreSQL connections as the orchestrator opens them: a pooled connection given back is not reset (no
/// <c>DISCARD ALL</c>, a statement of the server's, before its next use), and the statements it repeats are prepared,
/// unless the connection string says otherwise.
/// </summary>
public sealed class PostgresConnectionTests : IAsyncLifetime
{
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await (await PostgresServer.AcquireAsync()).CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresServer.ReleaseAsync();

    [Fact]
    public async Task A_pooled_connection_given_back_is_not_reset()
    {
        await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, _connectionString);

        // One at a time, so that the pool hands out the same connection again: what the first use set, a reset clears.
        await database.ScalarAsync("SELECT count(*) FROM (SELECT set_config('orchestrator.probe', 'kept', false)) s");
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) WHERE current_setting('orchestrator.probe', true) = 'kept'"));
    }

    [Fact]
    public async Task A_statement_run_again_and_again_stays_prepared_across_returns_to_the_pool()
    {
        await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, _connectionString);

        // One at a time, so that the pool hands out the same connection each time.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i, await database.ScalarAsync("SELECT CAST(@i AS bigint)", ("@i", (long)i)));
        }

        Assert.True(
            await database.ScalarAsync("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%CAST($1 AS bigint)%'") >= 1,
            "the repeated statement is not prepared on the pooled connection");
    }

    [Fact]
    public async Task Settings_the_connection_string_names_are_kept()
    {
        await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, _connectionString + ";Max Auto Prepare=0;NoResetOnClose=false");
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);

        for (var i = 0; i < 10; i++)
        {
            await database.ScalarAsync("SELECT CAST(@i AS bigint)", ("@i", (long)i));
        }

        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM pg_prepared_statements"));
        await database.ScalarAsync("SELECT count(*) FROM (SELECT set_config('orchestrator.probe', 'kept', false)) s");
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) WHERE current_setting('orchestrator.probe', true) = 'kept'"));
    }
}
