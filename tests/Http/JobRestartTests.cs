using System.Text.Json;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>
/// What a restart leaves to the jobs robots held, on both wirings, with the clock moved while the orchestrator was down:
/// nothing but the start brings their grains back, yet their robots' silence and their deadlines must still be seen.
/// </summary>
public abstract class JobRestartTests(ClockHost host)
{
    [Fact]
    public async Task Jobs_held_by_robots_that_never_come_back_after_a_restart_fail_or_wait_again_without_being_called()
    {
        var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var runner = await JobApiScenario.RobotAsync(api, "runner");
        var silent = await JobApiScenario.RobotAsync(api, "silent");
        var running = await JobApiScenario.RunningJobAsync(api, process, runner);
        var leased = await JobApiScenario.CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{silent}}"}""");
        Assert.Equal([leased], JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, silent, wait: 10)));

        // Down past the robots' offline window. After the start only the job list is read: it reads rows, waking nothing.
        await host.RestartAsync(TimeSpan.FromMinutes(10));
        api.Dispose();
        api = host.Host.Client(api.Key!);

        var jobs = await Polling.EventuallyAsync(
            async () => (await api.GetAsync("/api/job/list")).EnumerateArray().ToDictionary(j => j.GetProperty("guid").GetGuid()),
            list => list[running].GetProperty("status").GetInt32() == 3 && list[leased].GetProperty("robot_guid").ValueKind == JsonValueKind.Null,
            seconds: 20);

        Assert.Contains("Robot", jobs[running].GetProperty("message").GetString());
        Assert.NotEqual(1, jobs[leased].GetProperty("status").GetInt32());
        api.Dispose();
    }

    [Fact]
    public async Task A_robot_that_fell_silent_while_the_orchestrator_was_down_is_listed_Offline_after_the_start()
    {
        var api = await host.NewAccountAsync();
        var idle = await JobApiScenario.RobotAsync(api, "idle");
        await JobApiScenario.HeartbeatAsync(api, idle);
        Assert.Equal(1, (await api.GetAsync($"/api/robot/getStatus/{idle}")).GetProperty("Status").GetInt32());

        // Down past its offline window (4 s) but within the list's own margin for a record nobody keeps (the window plus
        // the heartbeat persist interval, a minute): only a grain that records Offline makes the list say so. Nothing
        // calls the robot after the start.
        await host.RestartAsync(TimeSpan.FromSeconds(10));
        api.Dispose();
        api = host.Host.Client(api.Key!);

        var offline = await Polling.EventuallyAsync(
            async () => (await api.GetAsync("/api/robot/read?status=0")).EnumerateArray().Select(r => r.GetProperty("GUID").GetGuid()).ToList(),
            robots => robots.Contains(idle),
            seconds: 20);
        Assert.Contains(idle, offline);
        Assert.Empty((await api.GetAsync("/api/robot/read?status=1")).EnumerateArray());
        api.Dispose();
    }
}

/// <summary>
/// One orchestrator whose clock the tests move, with short robot liveness windows, so that a robot's liveness check
/// (a quarter of the shortest window, on real time) comes within a second rather than every 11 s.
/// </summary>
public abstract class JobClockHost(DatabaseKind wiring) : ClockHost(wiring)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Orchestrator:Robots:UnresponsiveAfter"] = "00:00:02";
        settings["Orchestrator:Robots:OfflineAfter"] = "00:00:04";
    }
}

public sealed class EmbeddedJobClockHost() : JobClockHost(DatabaseKind.Sqlite);

public sealed class PostgresJobClockHost() : JobClockHost(DatabaseKind.PostgreSql);

public sealed class EmbeddedJobRestartTests(EmbeddedJobClockHost host) : JobRestartTests(host), IClassFixture<EmbeddedJobClockHost>;

public sealed class PostgresJobRestartTests(PostgresJobClockHost host) : JobRestartTests(host), IClassFixture<PostgresJobClockHost>;
