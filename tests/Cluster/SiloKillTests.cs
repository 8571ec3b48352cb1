using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>A silo killed outright loses nothing that was acknowledged: the other silo serves it all.</summary>
public sealed class SiloKillTests
{
    [Fact]
    public async Task Killing_a_silo_loses_no_account_robot_group_or_queued_command()
    {
        var server = await PostgresServer.AcquireAsync();
        try
        {
            var connectionString = await server.CreateDatabaseAsync();
            var shared = new Dictionary<string, string>
            {
                ["ConnectionStrings:Orchestrator"] = connectionString,
                ["Orchestrator:AdminKey"] = OrchestratorTestHost.AdminKey,
                ["Orchestrator:AdvertisedIP"] = "127.0.0.1",
                ["Orchestrator:SecretKey"] = OrchestratorTestHost.SecretKey,
                ["Orchestrator:ClusterId"] = "test",
                ["Orchestrator:ServiceId"] = "test",
            };
            using var doomed = await SiloProcess.StartAsync(new Dictionary<string, string>(shared)
            {
                ["Orchestrator:SiloPort"] = FreePort.Next().ToString(),
                ["Orchestrator:GatewayPort"] = FreePort.Next().ToString(),
            });
            await using var survivor = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Orchestrator"] = connectionString,
                ["Orchestrator:AdvertisedIP"] = "127.0.0.1",
                ["Orchestrator:SecretKey"] = OrchestratorTestHost.SecretKey,
            });

            // Everything is made through the silo that is about to die.
            using var admin = doomed.Client();
            var key = (await admin.PostAsync("/api/account/create", """{"Login": "survivor", "Password": "p"}""")).GetProperty("key").GetString()!;
            using var tenant = doomed.Client(key);
            var robots = new List<Guid>();
            for (var i = 0; i < 10; i++)
            {
                var robot = (await tenant.PostAsync("/api/robot/create", $$"""{"Name": "robot {{i}}"}""")).GetProperty("GUID").GetGuid();
                await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Machine": "WS-{{i}}"}""");
                robots.Add(robot);
            }

            var group = (await tenant.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();
            await tenant.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robots[0]}}"}""");
            var grains = survivor.Services.GetRequiredService<IGrainFactory>();
            var jobs = new Dictionary<Guid, Guid>();
            foreach (var robot in robots)
            {
                jobs[robot] = Guid.NewGuid();
                await grains.GetGrain<IRobotGrain>(robot).EnqueueCommandAsync(new RobotCommand("StopJob", jobs[robot]));
            }

            doomed.Kill();

            // The survivor answers once membership has declared the dead silo dead; until then a call that
            // reaches for it may fail, and is retried as a robot would.
            using var client = survivor.Client(key);
            foreach (var robot in robots)
            {
                var beat = await RetryAsync(() => client.SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}"}"""));
                Assert.Equal(jobs[robot], Assert.Single(beat.GetProperty("Commands").EnumerateArray()).GetProperty("JobGUID").GetGuid());
            }

            var read = await RetryAsync(() => client.SendAsync(HttpMethod.Get, $"/api/robot/read/{robots[3]}"));
            Assert.Equal("robot 3", read.GetProperty("Name").GetString());
            Assert.Equal("WS-3", read.GetProperty("Machine").GetString());
            var crew = await RetryAsync(() => client.SendAsync(HttpMethod.Get, $"/api/robotGroup/read/{group}"));
            Assert.Equal(robots[0], Assert.Single(crew.GetProperty("robots").EnumerateArray()).GetGuid());
            Assert.Equal(10, (await client.GetAsync("/api/robot/read")).GetArrayLength());
        }
        finally
        {
            await PostgresServer.ReleaseAsync();
        }
    }

    private static async Task<JsonElement> RetryAsync(Func<Task<HttpResponseMessage>> send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(text).RootElement.Clone();
            }

            Assert.True(
                response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline,
                $"expected 200 (or 503 while the dead silo is being declared dead), got {(int)response.StatusCode}: {text}");
            await Task.Delay(250);
        }
    }
}
