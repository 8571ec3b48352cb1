using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// On PostgreSQL the rows rewritten most often, a trigger's at each fire and a robot's at each heartbeat, are rewritten
/// in their own page (a HOT update, which adds no index entry): the schema leaves room in those tables' pages.
/// </summary>
public sealed class HotUpdateTests : IAsyncLifetime
{
    private const int Rows = 600;
    private const int Rounds = 4;

    private OrchestratorDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new OrchestratorDatabase(DatabaseKind.PostgreSql, await (await PostgresServer.AcquireAsync()).CreateDatabaseAsync());
        await new SchemaInstaller(_database, NullLogger<SchemaInstaller>.Instance).ApplyAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await PostgresServer.ReleaseAsync();
    }

    [Fact]
    public async Task Fires_and_heartbeats_rewrite_their_rows_in_place()
    {
        var account = await _database.ScalarAsync(
            "INSERT INTO accounts (guid, login, password_hash, key_hash, key_prefix, key_created, created, updated) VALUES ('hot', 'hot', 'x', 'k', 'p', 0, 0, 0) RETURNING id");
        var process = await _database.ScalarAsync(
            "INSERT INTO processes (guid, account_id, name, created, updated) VALUES ('hot', @a, 'p', 0, 0) RETURNING id", ("@a", account));
        await _database.ExecuteAsync(
            "INSERT INTO triggers (guid, account_id, name, processing_type, process_id, cron_tab, last_occurrence, created, updated) " +
            "SELECT 't' || i, @a, 't' || i, 2, @p, '* * * * *', 0, 0, 0 FROM generate_series(1, @n) i",
            ("@a", account), ("@p", process), ("@n", Rows));
        await _database.ExecuteAsync(
            "INSERT INTO robots (guid, account_id, name, created_at, updated_at) SELECT 'r' || i, @a, 'r' || i, 0, 0 FROM generate_series(1, @n) i",
            ("@a", account), ("@n", Rows));

        // Each round rewrites every row once in one transaction, as a fire of all the triggers would and a round of
        // heartbeats; the rows' last versions become dead between rounds, so a page's room is found again. A row whose
        // new version is in its old page was updated in place: none of its indexed values changes.
        long inPlaceTriggers = 0, inPlaceRobots = 0;
        for (var round = 1; round <= Rounds; round++)
        {
            var triggersBefore = await PagesAsync("triggers", account);
            var robotsBefore = await PagesAsync("robots", account);
            await _database.ExecuteAllAsync(
                ("UPDATE triggers SET runs = runs + 1, last_occurrence = @r, last_run_at = @r, last_job_guid = 'j' || id || '-' || @r WHERE account_id = @a",
                    [("@a", account), ("@r", round)]),
                ("UPDATE robots SET status = 1, last_heartbeat_at = @r, updated_at = @r WHERE account_id = @a", [("@a", account), ("@r", round)]));
            inPlaceTriggers += Unmoved(triggersBefore, await PagesAsync("triggers", account));
            inPlaceRobots += Unmoved(robotsBefore, await PagesAsync("robots", account));
        }

        // Pages filled to the brim let only the rows of the last page stay in place.
        const int Updates = Rows * Rounds;
        Assert.True(inPlaceTriggers >= Updates * 3 / 4, $"{inPlaceTriggers} of {Updates} trigger updates stayed in their page");
        Assert.True(inPlaceRobots >= Updates * 3 / 4, $"{inPlaceRobots} of {Updates} robot updates stayed in their page");
    }

    /// <summary>The page each row of the account is in (the block of its <c>ctid</c>).</summary>
    private async Task<Dictionary<long, long>> PagesAsync(string table, long? account) =>
        (await _database.QueryAsync($"SELECT id, CAST((ctid::text::point)[0] AS bigint) AS page FROM {table} WHERE account_id = @a", r => (r.GetInt64(0), r.GetInt64(1)), ("@a", account)))
        .ToDictionary(row => row.Item1, row => row.Item2);

    private static int Unmoved(Dictionary<long, long> before, Dictionary<long, long> after) => before.Count(row => after[row.Key] == row.Value);
}
