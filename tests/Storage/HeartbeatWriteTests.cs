using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>A heartbeat is a memory write in the robot grain, not a database write.</summary>
public sealed class HeartbeatWriteTests : IAsyncLifetime
{
    private readonly string _dataPath = TempFolder.Create("heartbeats");
    private OrchestratorTestHost _host = null!;

    [Fact]
    public async Task A_thousand_heartbeats_write_nothing_to_the_database()
    {
        using var admin = _host.Client();
        var robot = (await admin.PostAsync("/api/robot/create", """{"Name": "busy beater"}""")).GetProperty("GUID").GetGuid();
        var body = $$"""{"GUID": "{{robot}}", "Machine": "WS-1", "IP": "10.0.0.1", "MAC": "aa", "Version": "1.0"}""";

        // The first heartbeat changes what the record shows (Offline → Available, the machine): that one is written.
        await admin.PostAsync("/api/robot/heartbeat", body);
        var database = _host.Services.GetRequiredService<OrchestratorDatabase>();
        var writesBefore = database.Writes;
        var versionBefore = await DataVersion();

        for (var i = 0; i < 1000; i++)
        {
            await admin.PostAsync("/api/robot/heartbeat", body);
        }

        // Our own statements, and anything at all committed to the file (Orleans grain state included).
        Assert.Equal(writesBefore, database.Writes);
        Assert.Equal(versionBefore, await DataVersion());
        var read = await admin.GetAsync($"/api/robot/read/{robot}");
        Assert.Equal(1, read.GetProperty("Status").GetInt32());
    }

    public async Task InitializeAsync() =>
        _host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath });

    public async Task DisposeAsync()
    {
        if (_observer is not null)
        {
            await _observer.DisposeAsync();
        }

        await _host.DisposeAsync();
        TempFolder.Delete(_dataPath);
    }

    // PRAGMA data_version changes, for a connection that holds it, whenever any other connection commits.
    private SqliteConnection? _observer;

    private async Task<long> DataVersion()
    {
        if (_observer is null)
        {
            _observer = new SqliteConnection($"Data Source={Path.Combine(_dataPath, "orchestrator.db")};Pooling=False");
            await _observer.OpenAsync();
        }

        await using var command = _observer.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
