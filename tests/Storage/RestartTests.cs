using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>The embedded wiring keeps everything across a restart on the same data folder.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataPath = TempFolder.Create("restart");

    [Fact]
    public async Task Accounts_robots_groups_keys_and_queued_commands_survive_a_restart()
    {
        var settings = new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath };
        string tenantKey;
        Guid robot, group, job = Guid.NewGuid();
        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var admin = host.Client();
            tenantKey = (await admin.PostAsync("/api/account/create", """{"Login": "tenant", "Password": "p", "Company": "ACME"}""")).GetProperty("key").GetString()!;
            using var tenant = host.Client(tenantKey);
            robot = (await tenant.PostAsync("/api/robot/create", """{"Name": "keeper", "Description": "survives"}""")).GetProperty("GUID").GetGuid();
            group = (await tenant.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();
            await tenant.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
            await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Machine": "WS-1"}""");
            await tenant.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}", "Status": 4}""");
            var queued = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRobotGrain>(robot).EnqueueCommandAsync(new RobotCommand("AbortJob", job));
            Assert.Equal(Common.WriteResult.Done, queued);
        }

        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var tenant = host.Client(tenantKey);
            var read = await tenant.GetAsync($"/api/robot/read/{robot}");
            Assert.Equal("keeper", read.GetProperty("Name").GetString());
            Assert.Equal("survives", read.GetProperty("Description").GetString());
            Assert.Equal("WS-1", read.GetProperty("Machine").GetString());
            Assert.Equal((int)RobotStatus.Disabled, read.GetProperty("Status").GetInt32());
            Assert.True(read.GetProperty("LastHeartbeatAt").GetInt64() > 0);

            var crew = await tenant.GetAsync($"/api/robotGroup/read/{group}");
            Assert.Equal(robot, Assert.Single(crew.GetProperty("robots").EnumerateArray()).GetGuid());

            var beat = await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}"}""");
            Assert.Equal(job, Assert.Single(beat.GetProperty("Commands").EnumerateArray()).GetProperty("JobGUID").GetGuid());

            // The first start created the administrator; the second must not make another one or change its key.
            using var admin = host.Client();
            var accounts = (await admin.GetAsync("/api/account/list")).EnumerateArray().Select(a => a.GetProperty("login").GetString()).ToList();
            Assert.Equal(["admin", "tenant"], accounts);
            await tenant.GetAsync("/api/key");
            using var stranger = host.Client("0123456789012345678901234567890123456789");
            await stranger.GetAsync("/api/key", HttpStatusCode.Unauthorized);
        }
    }

    public void Dispose() => TempFolder.Delete(_dataPath);
}
