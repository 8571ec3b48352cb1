using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Grains;

/// <summary>
/// What time does to jobs, on the injected clock (never wall-clock minutes): StartTimeout, StopAfter then
/// AbortGrace, and a robot lost while it runs a job. The job's watch timer runs on real time and reads the
/// moved clock, so each test moves the clock and then awaits the state it expects.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JobDeadlineTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_job_not_reported_Running_within_StartTimeout_waits_again_and_a_late_Running_is_refused_and_aborted()
    {
        var (account, robot, process, version) = await SetUpAsync();
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());

        // Disabled, the robot cannot take the job again once it is released.
        await robot.UpdateAsync(account, new RobotChange(null, null, true));
        fixture.Time.Advance(ClusterFixture.Jobs.StartTimeout + TimeSpan.FromSeconds(0.5));
        var waiting = await EventuallyAsync(job, account, j => j.RobotGuid is null);

        Assert.Equal(JobStatus.Pending, waiting.Status);
        Assert.Contains("did not report Running", waiting.Message);
        Assert.Equal(WriteResult.Conflict, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));
        var commands = (await robot.HeartbeatAsync(account, Report()))!.Commands;
        Assert.Contains(commands, c => c.Type == "AbortJob" && c.JobGuid == job.GetPrimaryKey());
        Assert.Equal(JobStatus.Pending, (await job.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_job_running_past_StopAfter_is_asked_to_stop_then_aborted_after_AbortGrace()
    {
        var (account, robot, process, version) = await SetUpAsync();
        var job = await CreateJobAsync(account, process, version, robot, stopAfterSeconds: 1);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));

        fixture.Time.Advance(TimeSpan.FromSeconds(1.5));
        var stopping = await EventuallyAsync(job, account, j => j.Status == JobStatus.Stopping);
        Assert.Contains("StopAfter", stopping.Message);
        Assert.Contains((await robot.HeartbeatAsync(account, Report()))!.Commands, c => c.Type == "StopJob");

        fixture.Time.Advance(ClusterFixture.Jobs.AbortGrace + TimeSpan.FromSeconds(0.5));
        await EventuallyAsync(job, account, j => j.Status == JobStatus.Aborting);
        Assert.Contains((await robot.HeartbeatAsync(account, Report()))!.Commands, c => c.Type == "AbortJob");

        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Aborted, "killed", robot.GetPrimaryKey()));
        Assert.Equal(RobotStatus.Available, (await robot.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_robot_that_goes_offline_while_running_a_job_fails_it_and_loses_the_lease()
    {
        var (account, robot, process, version) = await SetUpAsync();
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));
        Assert.Equal(WriteResult.Conflict, await robot.DeleteAsync(account));

        fixture.Time.Advance(ClusterFixture.Liveness.OfflineAfter + TimeSpan.FromSeconds(1));
        var failed = await EventuallyAsync(job, account, j => j.Status == JobStatus.Failed);

        Assert.Contains("Robot lost", failed.Message);
        Assert.NotNull(failed.FinishedAt);
        Assert.Equal(WriteResult.Done, await robot.DeleteAsync(account));
    }

    private static HeartbeatReport Report() => new("WS", "10.0.0.1", "00:00:00:00:00:01", "1.0");

    private async Task StartedAsync(long account, IRobotGrain robot, Guid job)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var reply = await robot.HeartbeatAsync(account, Report());
            if (reply!.Commands.Any(c => c.Type == "StartJob" && c.JobGuid == job))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("The robot never got StartJob.");
    }

    private static async Task<JobInfo> EventuallyAsync(IJobGrain job, long account, Func<JobInfo, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JobInfo info;
        while (!condition(info = (await job.GetAsync(account))!) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(info), info.ToString());
        return info;
    }

    private async Task<IJobGrain> CreateJobAsync(long account, long process, long version, IRobotGrain robot, long? stopAfterSeconds = null)
    {
        var robotId = (await robot.GetAsync(account))!.Id;
        var job = fixture.Grains.GetGrain<IJobGrain>(Guid.NewGuid());
        var created = await job.CreateAsync(new JobDraft(account, process, version, robotId, null, 1, null, stopAfterSeconds, null));
        Assert.Equal(WriteResult.Done, created.Result);
        return job;
    }

    private async Task<(long Account, IRobotGrain Robot, long Process, long Version)> SetUpAsync()
    {
        var draft = new AccountDraft(Guid.NewGuid().ToString("N"), "hash", ApiKeys.Hash(ApiKeys.Generate()), false, new AccountProfile());
        var account = (await fixture.Grains.GetGrain<IAccountGrain>(Guid.NewGuid()).CreateAsync(draft)).Id;
        var robot = fixture.Grains.GetGrain<IRobotGrain>(Guid.NewGuid());
        Assert.Equal(WriteResult.Done, (await robot.CreateAsync(new RobotDraft(account, "robot", ""))).Result);
        await robot.HeartbeatAsync(account, Report());
        var process = await fixture.Grains.GetGrain<IProcessGrain>(Guid.NewGuid()).CreateAsync(new ProcessDraft(account, "p", "", null, ProcessType.Process));
        var file = await fixture.SiloServices.GetRequiredService<FileBlobs>().SaveAsync(account, new MemoryStream([1, 2, 3]), 3);
        var version = await fixture.Grains.GetGrain<IProcessVersionGrain>(Guid.NewGuid())
            .CreateAsync(new ProcessVersionDraft(account, process.Id, "v", "", "x.robot", file));
        return (account, robot, process.Id, version.Id);
    }
}
