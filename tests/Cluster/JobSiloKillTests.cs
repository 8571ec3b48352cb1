using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>A silo killed in the middle of dispatch: waiting jobs, leases and queued StartJobs live on in the other silo, and no job starts twice.</summary>
public sealed class JobSiloKillTests
{
    [Fact]
    public async Task Killing_a_silo_mid_dispatch_loses_no_job_and_starts_none_twice()
    {
        await using var cluster = await KillableCluster.StartAsync();
        var (doomed, survivor) = (cluster.Doomed, cluster.Survivor!);
        using var admin = doomed.Client();
        var key = await TenantAccount.CreateAsync(admin, "dispatch");
        using var api = doomed.Client(key);
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robots = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            robots.Add(await JobApiScenario.RobotAsync(api, $"r{i}"));
        }

        // Robots 0–1 run a job, 2–3 were handed one they have not yet collected, 4–5 have one waiting for them.
        var jobs = new List<Guid>();
        var starts = new Dictionary<Guid, int>();
        foreach (var robot in robots)
        {
            if (robots.IndexOf(robot) < 4)
            {
                await JobApiScenario.HeartbeatAsync(api, robot);
            }

            jobs.Add(await JobApiScenario.CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}"""));
        }

        for (var i = 0; i < 2; i++)
        {
            foreach (var job in JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, robots[i])))
            {
                starts[job] = starts.GetValueOrDefault(job) + 1;
            }

            await JobApiScenario.UpdateAsync(api, jobs[i], 1, robots[i]);
        }

        doomed.Kill();

        // Each robot heartbeats on the survivor until it has been handed a job: a dispatch that was under way on the
        // dead silo is redone once the survivor takes over, which may come after the robot's first heartbeat there.
        // A robot that has its job stops asking, so a job handed out twice would still show as a second start.
        using var client = survivor.Client(key);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var robot in robots)
        {
            var handedOut = robots.IndexOf(robot) < 2;
            do
            {
                var beat = await KillableCluster.RetryForBodyAsync(() => client.SendAsync(
                    HttpMethod.Post, "/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = robot, Version = "1.0", Wait = handedOut ? 0 : 2 })));
                foreach (var job in JobApiScenario.Starts(beat))
                {
                    starts[job] = starts.GetValueOrDefault(job) + 1;
                    handedOut = true;
                }
            }
            while (!handedOut && DateTime.UtcNow < deadline);
        }

        // Every job was handed out exactly once, across both silos; the running ones still belong to their robots.
        Assert.Equal(jobs.ToHashSet(), starts.Keys.ToHashSet());
        Assert.All(starts, s => Assert.Equal(1, s.Value));
        for (var i = 0; i < robots.Count; i++)
        {
            if (i >= 2)
            {
                await KillableCluster.RetryForBodyAsync(() => client.SendAsync(HttpMethod.Post, "/api/job/update", JsonSerializer.Serialize(new { Guid = jobs[i], Status = 1, RobotGuid = robots[i] })));
            }

            await KillableCluster.RetryForBodyAsync(() => client.SendAsync(HttpMethod.Post, "/api/job/update", JsonSerializer.Serialize(new { Guid = jobs[i], Status = 2, RobotGuid = robots[i] })));
        }

        var ended = (await client.GetAsync("/api/job/list")).EnumerateArray().Select(j => j.GetProperty("status").GetInt32());
        Assert.All(ended, status => Assert.Equal(2, status));
    }
}
