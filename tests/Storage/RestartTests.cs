using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// The embedded wiring keeps everything acknowledged across a restart on the same data folder: after a
/// graceful stop, and after the process was killed outright.
/// </summary>
public sealed class RestartTests : IDisposable
{
    private const string SecondAdminKey = "second-administrator-key-9876543210zyxwvu";

    private readonly string _dataPath = TempFolder.Create("restart");

    [Fact]
    public async Task Accounts_robots_groups_keys_and_queued_commands_survive_a_restart()
    {
        var settings = new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath };
        Stored stored;
        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            stored = await StoreAsync(host.Client, host.Services.GetRequiredService<IGrainFactory>());
        }

        // The second start names another administrator key: the database has accounts, so it is not used.
        await using (var host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?>(settings) { ["Orchestrator:AdminKey"] = SecondAdminKey }))
        {
            await AssertServedAsync(host, stored);

            using var second = host.Client(SecondAdminKey);
            await second.GetAsync("/api/key", HttpStatusCode.Unauthorized);
            await second.GetAsync("/api/account/list", HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Everything_acknowledged_survives_a_silo_process_killed_outright()
    {
        Stored stored;
        using (var silo = await SiloProcess.StartAsync(SiloProcess.EmbeddedSettings(_dataPath)))
        {
            using (var client = await silo.ConnectClientAsync())
            {
                stored = await StoreAsync(silo.Client, client.Services.GetRequiredService<IClusterClient>());
                await client.StopAsync();
            }

            // SIGKILL: no graceful shutdown, no deactivation, nothing flushed on the way out.
            silo.Kill();
        }

        await using var host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath });
        await AssertServedAsync(host, stored);
    }

    [Fact]
    public async Task A_silo_that_stops_answers_its_open_long_polls_at_once_and_stops()
    {
        var host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath });
        using var api = host.Client();
        var robot = await JobApiScenario.RobotAsync(api, "polling");
        await JobApiScenario.HeartbeatAsync(api, robot);
        var watch = LongPollProbe.Instance.Watch(host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRobotGrain>(robot));

        // A poll that would wait a minute, longer than the host's stop may take (30 s): answered only if the stop ends it.
        var poll = api.SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Wait": 60}""");
        await watch.WaitingAsync();
        await host.DisposeAsync();

        using var answer = await poll;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("Commands").EnumerateArray());
    }

    public void Dispose() => TempFolder.Delete(_dataPath);

    /// <summary>Writes, through HTTP and a grain call, one of each thing a restart must keep; each one acknowledged.</summary>
    private static async Task<Stored> StoreAsync(Func<string, ApiClient> clientWith, IGrainFactory grains)
    {
        using var admin = clientWith(OrchestratorTestHost.AdminKey);
        var tenantKey = await TenantAccount.CreateAsync(admin, "tenant", company: "ACME");
        using var tenant = clientWith(tenantKey);
        var robot = (await tenant.PostAsync("/api/robot/create", """{"Name": "keeper", "Description": "survives"}""")).GetProperty("GUID").GetGuid();
        var group = (await tenant.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();
        await tenant.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
        await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Machine": "WS-1"}""");
        await tenant.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}", "Status": 4}""");
        var job = Guid.NewGuid();
        Assert.Equal(Common.WriteResult.Done, await grains.GetGrain<IRobotGrain>(robot).EnqueueCommandAsync(new RobotCommand("AbortJob", job)));
        return new Stored(tenantKey, robot, group, job);
    }

    private static async Task AssertServedAsync(OrchestratorTestHost host, Stored stored)
    {
        using var tenant = host.Client(stored.TenantKey);
        var read = await tenant.GetAsync($"/api/robot/read/{stored.Robot}");
        Assert.Equal("keeper", read.GetProperty("Name").GetString());
        Assert.Equal("survives", read.GetProperty("Description").GetString());
        Assert.Equal("WS-1", read.GetProperty("Machine").GetString());
        Assert.Equal((int)RobotStatus.Disabled, read.GetProperty("Status").GetInt32());
        Assert.True(read.GetProperty("LastHeartbeatAt").GetInt64() > 0);

        var crew = await tenant.GetAsync($"/api/robotGroup/read/{stored.Group}");
        Assert.Equal(stored.Robot, Assert.Single(crew.GetProperty("robots").EnumerateArray()).GetGuid());

        var beat = await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{stored.Robot}}"}""");
        Assert.Equal(stored.Job, Assert.Single(beat.GetProperty("Commands").EnumerateArray()).GetProperty("JobGUID").GetGuid());

        // The first start created the administrator; a later one must not make another one or change its key.
        using var admin = host.Client();
        var accounts = (await admin.GetAsync("/api/account/list")).EnumerateArray().Select(a => a.GetProperty("login").GetString()).ToList();
        Assert.Equal(["admin", "tenant"], accounts);
        await tenant.GetAsync("/api/key");
        using var stranger = host.Client("0123456789012345678901234567890123456789");
        await stranger.GetAsync("/api/key", HttpStatusCode.Unauthorized);
    }

    private sealed record Stored(string TenantKey, Guid Robot, Guid Group, Guid Job);
}
