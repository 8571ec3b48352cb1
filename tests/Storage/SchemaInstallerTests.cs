using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// The schema is applied at every start of every silo: applying it again (and from several silos at once)
/// over a database full of records must leave every row as it was.
/// </summary>
public sealed class SchemaInstallerTests
{
    /// <summary>Every table the orchestrator and its Orleans providers keep data in, on both databases.</summary>
    private static readonly string[] Tables =
    [
        "orchestrator_schema", "accounts", "robots", "robot_groups", "robot_group_members",
        "OrleansQuery", "OrleansRemindersTable", "grain_state",
    ];

    [Fact]
    public async Task Applying_the_sqlite_schema_again_keeps_every_record()
    {
        var folder = TempFolder.Create("schema");
        try
        {
            await using var database = OrchestratorDatabase.Embedded(folder);
            await AssertReapplyingKeepsEverything(new() { ["Orchestrator:DataPath"] = folder }, database, silos: 1);
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task A_sqlite_logs_table_from_before_the_job_columns_gains_them_and_keeps_its_lines()
    {
        var folder = TempFolder.Create("schema");
        try
        {
            await using var database = OrchestratorDatabase.Embedded(folder);
            var installer = new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance);
            await installer.ApplyAsync();
            await database.ExecuteAsync("INSERT INTO accounts (guid, login, password_hash, key_hash, key_prefix, key_created, created, updated) VALUES ('a', 'old', 'x', 'k', 'p', 0, 0, 0)");
            await database.ExecuteAsync("DROP TABLE logs");
            await database.ExecuteAsync(
                """
                CREATE TABLE logs (id INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT NOT NULL UNIQUE, account_id INTEGER NOT NULL,
                    robot_guid TEXT, robot_id INTEGER, job_guid TEXT, process_version_guid TEXT, level INTEGER NOT NULL,
                    message TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)
                """);
            await database.ExecuteAsync(
                "INSERT INTO logs (guid, account_id, level, message, created_at, updated_at) SELECT 'l', id, 2, 'kept', 0, 0 FROM accounts WHERE login = 'old'");

            await installer.ApplyAsync();
            await installer.ApplyAsync();

            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM logs WHERE message = 'kept' AND job_id IS NULL AND process_version_id IS NULL"));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task A_sqlite_jobs_table_from_before_the_end_mark_gains_it_and_its_index()
    {
        var folder = TempFolder.Create("schema");
        try
        {
            await using var database = OrchestratorDatabase.Embedded(folder);
            var installer = new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance);
            await installer.ApplyAsync();
            await database.ExecuteAsync("DROP INDEX ix_jobs_end_pending");
            await database.ExecuteAsync("ALTER TABLE jobs DROP COLUMN end_pending");
            Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'end_pending'"));

            await installer.ApplyAsync();
            await installer.ApplyAsync();

            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'end_pending' AND \"notnull\" = 1 AND dflt_value = '0'"));
            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_jobs_end_pending'"));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task Applying_the_postgresql_schema_from_several_silos_at_once_keeps_every_record()
    {
        var server = await PostgresServer.AcquireAsync();
        try
        {
            var connectionString = await server.CreateDatabaseAsync();
            await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, connectionString);

            // On an empty database first, as silos starting together would.
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance).ApplyAsync()));

            var settings = OrchestratorTestHost.ClusterSettings(connectionString);
            await AssertReapplyingKeepsEverything(settings, database, silos: 3);
        }
        finally
        {
            await PostgresServer.ReleaseAsync();
        }
    }

    /// <summary>
    /// Fills the database through a real host (which applies the schema as it starts), stops it, applies the
    /// schema again from <paramref name="silos"/> installers at once, and compares every row before and after.
    /// </summary>
    private static async Task AssertReapplyingKeepsEverything(Dictionary<string, string?> settings, OrchestratorDatabase database, int silos)
    {
        string key;
        Guid robot, group, command = Guid.NewGuid();
        var reminder = GrainId.Create("trigger", Guid.NewGuid().ToString("N"));
        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var admin = host.Client();
            key = await TenantAccount.CreateAsync(admin, "tenant", company: "ACME");
            using var tenant = host.Client(key);
            robot = (await tenant.PostAsync("/api/robot/create", """{"Name": "keeper", "Description": "stays"}""")).GetProperty("GUID").GetGuid();
            group = (await tenant.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();
            await tenant.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
            await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Machine": "WS-1"}""");
            await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRobotGrain>(robot).EnqueueCommandAsync(new RobotCommand("StopJob", command));
            await host.Services.GetRequiredService<IReminderTable>().UpsertRow(new ReminderEntry
            {
                GrainId = reminder, ReminderName = "backstop", StartAt = new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc), Period = TimeSpan.FromMinutes(5),
            });
        }

        var before = await SnapshotAsync(database);
        foreach (var table in Tables)
        {
            Assert.True(before[table].Count > 0, $"{table} holds no row: the test would prove nothing about it");
        }

        Assert.Contains(before["accounts"], row => row.Contains("|tenant|"));
        Assert.Contains(before["robots"], row => row.Contains(robot.ToString("D")) && row.Contains("|WS-1|"));
        Assert.Contains(before["robot_groups"], row => row.Contains(group.ToString("D")));
        Assert.Contains(before["OrleansRemindersTable"], row => row.Contains("backstop"));

        await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance).ApplyAsync()));

        var after = await SnapshotAsync(database);
        foreach (var table in Tables)
        {
            Assert.Equal(before[table], after[table]);
        }

        // And the host that starts on it next serves all of it.
        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var tenant = host.Client(key);
            Assert.Equal("tenant", (await tenant.GetAsync("/api/key")).GetProperty("login").GetString());
            var read = await tenant.GetAsync($"/api/robot/read/{robot}");
            Assert.Equal("WS-1", read.GetProperty("Machine").GetString());
            Assert.Equal(robot, Assert.Single((await tenant.GetAsync($"/api/robotGroup/read/{group}")).GetProperty("robots").EnumerateArray()).GetGuid());
            var beat = await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}"}""");
            Assert.Equal(command, Assert.Single(beat.GetProperty("Commands").EnumerateArray()).GetProperty("JobGUID").GetGuid());
            Assert.Equal("backstop", Assert.Single((await host.Services.GetRequiredService<IReminderTable>().ReadRows(reminder)).Reminders).ReminderName);
        }
    }

    /// <summary>Every row of every table, as text, in a stable order.</summary>
    private static async Task<Dictionary<string, List<string>>> SnapshotAsync(OrchestratorDatabase database)
    {
        var snapshot = new Dictionary<string, List<string>>();
        foreach (var table in Tables)
        {
            var rows = await database.QueryAsync($"SELECT * FROM {table}", reader => "|" + string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                DBNull => "NULL",
                byte[] bytes => Convert.ToHexString(bytes),
                var value => Convert.ToString(value, CultureInfo.InvariantCulture),
            })) + "|");
            rows.Sort(StringComparer.Ordinal);
            snapshot[table] = rows;
        }

        return snapshot;
    }
}
