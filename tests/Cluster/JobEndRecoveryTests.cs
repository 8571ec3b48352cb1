using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Jobs;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using static Orchestrator.Tests.Infrastructure.Polling;
using static Orchestrator.Tests.Infrastructure.TriggerScenario;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// A silo killed between the commit of a job's terminal status and what the end entails (its task of a queue with
/// AutoChangeStatus failed, its continuous trigger's next job): the next start does it, once; in a cluster, the
/// survivor does it when the dead silo is declared dead.
/// </summary>
public sealed class JobEndRecoveryTests : IDisposable
{
    private readonly string _dataPath = TempFolder.Create("job-end");

    [Fact]
    public async Task The_end_of_a_job_that_failed_just_before_a_crash_is_handled_at_the_next_start_and_only_once()
    {
        string key;
        Guid robot, job, task;
        Guid trigger;
        long triggerId;
        var settings = SiloProcess.EmbeddedSettings(_dataPath);

        // Holds every job's end back well past this test, so the kill surely lands after the commit and before the end.
        settings["Orchestrator:Jobs:TestingDelayBeforeEndHandling"] = "00:10:00";
        using (var silo = await SiloProcess.StartAsync(settings))
        {
            using var admin = silo.Client();
            key = await TenantAccount.CreateAsync(admin, "tenant");
            using var api = silo.Client(key);
            var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
            robot = await JobApiScenario.RobotAsync(api, "r");
            await JobApiScenario.HeartbeatAsync(api, robot);
            await api.PostAsync("/api/queue/create", """{"Name": "auto", "AutoChangeStatus": 1}""");
            await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "auto", "Retries": 1}""");
            (trigger, triggerId) = await CreateAsync(api, new { Name = "always", ProcessingType = 1, ProcessId = process, MaxRunningRobots = 1 });

            job = (await JobCountAsync(api, triggerId, 1))[0].GetProperty("guid").GetGuid();
            await EventuallyAsync(() => JobApiScenario.HeartbeatAsync(api, robot), beat => JobApiScenario.Starts(beat).Contains(job));
            await JobApiScenario.UpdateAsync(api, job, 1, robot);
            task = (await api.PostAsync("/api/task/next", JsonSerializer.Serialize(new { QueueGuid = "auto", RobotGuid = robot, JobGuid = job })))
                .GetProperty("guid").GetGuid();

            // The robot reports the failure; the answer never comes (the end is held back). Once the list, read from
            // the table, shows Failed, the status is committed: the silo dies before its end is handled.
            var report = api.SendAsync(HttpMethod.Post, "/api/job/update", JsonSerializer.Serialize(new { Guid = job, Status = 3, RobotGuid = robot }));
            await EventuallyAsync(() => JobsAsync(api, triggerId), jobs => jobs.Any(j => j.GetProperty("guid").GetGuid() == job && j.GetProperty("status").GetInt32() == 3));
            Assert.Equal(1, (await api.GetAsync($"/api/task/read/{task}")).GetProperty("status").GetInt32());
            silo.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => report);
        }

        // The next start hands the end to the job: its task fails (and is retried once), its trigger starts one job.
        await using (var host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath }))
        {
            using var api = host.Client(key);
            await EventuallyAsync(() => api.GetAsync($"/api/task/read/{task}"), t => t.GetProperty("status").GetInt32() == 5);
            await EventuallyAsync(() => EndPendingAsync(host, job), pending => !pending);
            await AssertHandledOnceAsync(api, trigger, triggerId, job);

            // As if a crash came after the end was handled but before its mark was cleared: the end runs again.
            await host.Services.GetRequiredService<OrchestratorDatabase>().ExecuteAsync(
                "UPDATE jobs SET end_pending = 1 WHERE guid = @guid", ("@guid", job));
        }

        await using (var host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath }))
        {
            using var api = host.Client(key);
            await EventuallyAsync(() => EndPendingAsync(host, job), pending => !pending);
            await AssertHandledOnceAsync(api, trigger, triggerId, job);
        }
    }

    [Fact]
    public async Task The_end_of_a_job_that_failed_on_a_silo_killed_just_after_is_handled_by_the_survivor()
    {
        // The end is held back on the doomed silo only; the survivor handles ends at once.
        await using var cluster = await KillableCluster.StartAsync(
            withSurvivor: false, new Dictionary<string, string> { ["Orchestrator:Jobs:TestingDelayBeforeEndHandling"] = "00:10:00" });
        var doomed = cluster.Doomed;
        using var admin = doomed.Client();
        var key = await TenantAccount.CreateAsync(admin, "tenant");
        using var api = doomed.Client(key);
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robot = await JobApiScenario.RobotAsync(api, "r");
        await api.PostAsync("/api/queue/create", """{"Name": "auto", "AutoChangeStatus": 1}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "auto"}""");
        var job = await JobApiScenario.RunningJobAsync(api, process, robot);
        var task = (await api.PostAsync("/api/task/next", JsonSerializer.Serialize(new { QueueGuid = "auto", RobotGuid = robot, JobGuid = job })))
            .GetProperty("guid").GetGuid();

        // The survivor joins only now, so the job's grain is active on the silo that dies.
        var survivor = await cluster.StartSurvivorAsync();
        using var client = survivor.Client(key);
        var report = api.SendAsync(HttpMethod.Post, "/api/job/update", JsonSerializer.Serialize(new { Guid = job, Status = 3, RobotGuid = robot }));
        await EventuallyAsync(() => client.GetAsync("/api/job/list?status=3"), jobs => jobs.GetArrayLength() == 1);
        doomed.Kill();

        // The doomed silo never answered the report with a success: its end was held there. Cut off by the kill, or
        // answered 503 while the joining survivor took over part of the grain directory.
        if (await Record.ExceptionAsync(() => report) is null)
        {
            using var answer = await report;
            Assert.False(answer.IsSuccessStatusCode, $"the report was answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }

        // Once the dead silo is declared dead, the survivor handles the end: nothing else calls the job again.
        await EventuallyAsync(
            () => KillableCluster.RetryForBodyAsync(() => client.SendAsync(HttpMethod.Get, $"/api/task/read/{task}")),
            t => t.GetProperty("status").GetInt32() == 3,
            seconds: 120);
    }

    public void Dispose() => TempFolder.Delete(_dataPath);

    private static async Task<bool> EndPendingAsync(OrchestratorTestHost host, Guid job) =>
        (await host.Services.GetRequiredService<JobRecords>().FindAsync(job))!.EndPending;

    /// <summary>The failed job's task failed and was retried once; its continuous trigger has one job more, no other.</summary>
    private static async Task AssertHandledOnceAsync(ApiClient api, Guid trigger, long triggerId, Guid job)
    {
        // The trigger is woken without being awaited: its second job is awaited, then its runs must have stopped there.
        await JobCountAsync(api, triggerId, 2);
        Assert.Equal(2, (await ReadAsync(api, trigger)).GetProperty("runs").GetInt64());
        var settled = await JobsAsync(api, triggerId);
        Assert.Equal(2, settled.Count);
        Assert.Equal(3, settled.Single(j => j.GetProperty("guid").GetGuid() == job).GetProperty("status").GetInt32());
        Assert.Equal(0, settled.Single(j => j.GetProperty("guid").GetGuid() != job).GetProperty("status").GetInt32());

        var tasks = (await api.PostAsync("/api/task/filter/list/auto/take=100", "{}")).EnumerateArray().ToList();
        Assert.Equal([0, 5], tasks.Select(t => t.GetProperty("status").GetInt32()).Order());
    }
}
