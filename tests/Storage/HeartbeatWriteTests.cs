using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// A heartbeat is a memory write in the robot grain, not a database write: plain, acknowledging and
/// long-polling heartbeats leave the database as it was, on both wirings. Each test ends with a heartbeat
/// that does change the record, so an observer that saw nothing at all would fail it.
/// </summary>
public abstract class HeartbeatWriteTests(DatabaseKind wiring) : IAsyncLifetime
{
    private OrchestratorTestHost _host = null!;

    [Fact]
    public async Task A_thousand_heartbeats_write_nothing_to_the_database()
    {
        using var admin = _host.Client();
        var robot = (await admin.PostAsync("/api/robot/create", """{"Name": "busy beater"}""")).GetProperty("GUID").GetGuid();
        var body = Body(robot, "WS-1");

        // The first heartbeat changes what the record shows (Offline → Available, the machine): that one is written.
        await admin.PostAsync("/api/robot/heartbeat", body);
        var before = await MarkAsync();

        for (var i = 0; i < 1000; i++)
        {
            await admin.PostAsync("/api/robot/heartbeat", body);
        }

        await AssertUnchangedAsync(before);
        Assert.Equal(1, (await admin.GetAsync($"/api/robot/read/{robot}")).GetProperty("Status").GetInt32());
        await AssertAChangingHeartbeatIsSeenAsync(admin, robot);
    }

    [Fact]
    public async Task Acknowledging_and_long_polling_heartbeats_write_nothing_to_the_database()
    {
        using var admin = _host.Client();
        var robot = (await admin.PostAsync("/api/robot/create", """{"Name": "patient beater"}""")).GetProperty("GUID").GetGuid();
        var grain = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRobotGrain>(robot);
        await admin.PostAsync("/api/robot/heartbeat", Body(robot, "WS-1"));

        // A command delivered and acknowledged: queuing it and dropping it on the Ack are writes of their own.
        await grain.EnqueueCommandAsync(new RobotCommand("StopJob", Guid.NewGuid()));
        var seq = Assert.Single((await admin.PostAsync("/api/robot/heartbeat", Body(robot, "WS-1", ack: 0))).GetProperty("Commands").EnumerateArray()).GetProperty("Seq").GetInt64();
        await admin.PostAsync("/api/robot/heartbeat", Body(robot, "WS-1", ack: seq));
        var before = await MarkAsync();

        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(0, (await admin.PostAsync("/api/robot/heartbeat", Body(robot, "WS-1", ack: seq))).GetProperty("Commands").GetArrayLength());
        }

        // Long-polls that run out with nothing queued, with and without Ack, side by side.
        var polls = Enumerable.Range(0, 4).Select(i => admin.PostAsync("/api/robot/heartbeat", Body(robot, "WS-1", ack: i % 2 == 0 ? seq : null, wait: 1)));
        Assert.All(await Task.WhenAll(polls), beat => Assert.Equal(0, beat.GetProperty("Commands").GetArrayLength()));

        await AssertUnchangedAsync(before);
        await AssertAChangingHeartbeatIsSeenAsync(admin, robot);
    }

    protected TestStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(wiring, "heartbeats");
        var settings = Store.HostSettings();

        // Far longer than a test runs, so that no heartbeat is due to refresh the stored heartbeat time.
        settings["Orchestrator:Robots:HeartbeatPersistInterval"] = "00:30:00";
        _host = await OrchestratorTestHost.StartAsync(settings);
    }

    public virtual async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await Store.DisposeAsync();
    }

    /// <summary>Something that changes whenever anything is committed to the host's database.</summary>
    protected abstract Task<string> CommitMarkAsync();

    private static string Body(Guid robot, string machine, long? ack = null, int? wait = null) =>
        $$"""{"GUID": "{{robot}}", "Machine": "{{machine}}", "IP": "10.0.0.1", "MAC": "aa", "Version": "1.0"{{(ack is { } a ? $", \"Ack\": {a}" : "")}}{{(wait is { } w ? $", \"Wait\": {w}" : "")}}}""";

    private async Task<(long Writes, string Commits)> MarkAsync() =>
        (_host.Services.GetRequiredService<OrchestratorDatabase>().Writes, await CommitMarkAsync());

    /// <summary>Neither our own statements nor anything else (Orleans grain state included) reached the database.</summary>
    private async Task AssertUnchangedAsync((long Writes, string Commits) before)
    {
        var after = await MarkAsync();
        Assert.Equal(before.Writes, after.Writes);
        Assert.Equal(before.Commits, after.Commits);
    }

    /// <summary>The positive control: a heartbeat that changes what the record shows is written, and both marks move.</summary>
    private async Task AssertAChangingHeartbeatIsSeenAsync(ApiClient admin, Guid robot)
    {
        var before = await MarkAsync();
        await admin.PostAsync("/api/robot/heartbeat", Body(robot, "WS-2"));
        var after = await MarkAsync();
        Assert.True(after.Writes > before.Writes, "a heartbeat reporting another machine wrote nothing");
        Assert.NotEqual(before.Commits, after.Commits);
    }
}

/// <summary>SQLite: <c>PRAGMA data_version</c> changes, for a connection that holds it, whenever any other connection commits.</summary>
public sealed class EmbeddedHeartbeatWriteTests() : HeartbeatWriteTests(DatabaseKind.Sqlite)
{
    private SqliteConnection? _observer;

    public override async Task DisposeAsync()
    {
        if (_observer is not null)
        {
            await _observer.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override async Task<string> CommitMarkAsync()
    {
        if (_observer is null)
        {
            _observer = new SqliteConnection($"Data Source={Path.Combine(Store.DataPath!, "orchestrator.db")};Pooling=False");
            await _observer.OpenAsync();
        }

        await using var command = _observer.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// PostgreSQL, on a database of its own: every row version (<c>ctid</c>, <c>xmin</c>) of every table the
/// orchestrator and its grain storage and reminders write. An insert, update or delete changes the set.
/// (Membership tables are left out: silos write their liveness there on their own schedule.)
/// </summary>
public sealed class PostgresHeartbeatWriteTests() : HeartbeatWriteTests(DatabaseKind.PostgreSql)
{
    private static readonly string[] Tables =
        ["accounts", "robots", "robot_groups", "robot_group_members", "orchestrator_schema", "OrleansStorage", "grain_state", "OrleansRemindersTable", "OrleansQuery"];

    protected override async Task<string> CommitMarkAsync()
    {
        await using var connection = new NpgsqlConnection(Store.ConnectionString);
        await connection.OpenAsync();
        var mark = new List<string>();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT ctid::text, xmin::text FROM {table} ORDER BY ctid", connection);
            await using var rows = await command.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                mark.Add($"{table}:{rows.GetString(0)}:{rows.GetString(1)}");
            }
        }

        return string.Join(' ', mark);
    }
}
