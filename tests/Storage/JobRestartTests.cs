using System.Net;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>The embedded wiring keeps waiting jobs, leases and process files across a restart, and starts nothing twice.</summary>
public sealed class JobRestartTests : IDisposable
{
    private readonly string _dataPath = TempFolder.Create("job-restart");

    [Fact]
    public async Task Pending_and_running_jobs_survive_a_restart_and_nothing_starts_twice()
    {
        var settings = new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath };
        string key;
        Guid version, busy, idle, running, waiting;
        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var admin = host.Client();
            key = await TenantAccount.CreateAsync(admin, "tenant");
            using var api = host.Client(key);
            Guid process;
            (process, version) = await JobApiScenario.ProcessWithVersionAsync(api);
            busy = await JobApiScenario.RobotAsync(api, "busy");
            idle = await JobApiScenario.RobotAsync(api, "idle");
            running = await JobApiScenario.CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{busy}}"}""");
            waiting = await JobApiScenario.CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{idle}}", "Priority": 2}""");
            Assert.Equal([running], JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, busy)));
            await JobApiScenario.UpdateAsync(api, running, 1, busy);
        }

        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var api = host.Client(key);
            Assert.Equal(1, (await api.GetAsync($"/api/job/read/{running}")).GetProperty("status").GetInt32());
            Assert.Equal(0, (await api.GetAsync($"/api/job/read/{waiting}")).GetProperty("status").GetInt32());

            // The lease survived: the busy robot is given nothing new and may still report its job.
            Assert.Empty(JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, busy)));
            Assert.Equal(2, (await api.GetAsync($"/api/robot/getStatus/{busy}")).GetProperty("Status").GetInt32());
            await JobApiScenario.UpdateAsync(api, running, 2, busy);

            // The waiting job was rebuilt from the jobs table and goes to its robot, once.
            Assert.Equal([waiting], JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, idle)));
            Assert.Empty(JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, idle)));
            Assert.Empty(JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, busy)));

            using var download = await api.SendAsync(HttpMethod.Get, $"/api/processVersion/download/{version}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(Convert.FromBase64String("UEsDBA=="), await download.Content.ReadAsByteArrayAsync());
        }
    }

    public void Dispose() => TempFolder.Delete(_dataPath);
}
