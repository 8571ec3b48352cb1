using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using Orleans.Core.Internal;
using Orleans.Storage;

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
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());

        // Disabled, the robot cannot take the job again once it is released.
        await robot.UpdateAsync(account, new RobotChange(null, null, true));
        fixture.Time.Advance(ClusterFixture.Jobs.StartTimeout + TimeSpan.FromSeconds(0.5));
        var waiting = await EventuallyAsync(job, account, j => j.RobotGuid is null);

        Assert.Equal(JobStatus.Pending, waiting.Status);
        Assert.Contains("did not report Running", waiting.Message);
        Assert.Equal(WriteResult.Conflict, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));
        var commands = (await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands;
        Assert.Contains(commands, c => c.Type == "AbortJob" && c.JobGuid == job.GetPrimaryKey());
        Assert.Equal(JobStatus.Pending, (await job.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_job_running_past_StopAfter_is_asked_to_stop_then_aborted_after_AbortGrace()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot, stopAfterSeconds: 1);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));

        fixture.Time.Advance(TimeSpan.FromSeconds(1.5));
        var stopping = await EventuallyAsync(job, account, j => j.Status == JobStatus.Stopping);
        Assert.Contains("StopAfter", stopping.Message);
        Assert.Contains((await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands, c => c.Type == "StopJob");

        fixture.Time.Advance(ClusterFixture.Jobs.AbortGrace + TimeSpan.FromSeconds(0.5));
        await EventuallyAsync(job, account, j => j.Status == JobStatus.Aborting);
        Assert.Contains((await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands, c => c.Type == "AbortJob");

        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Aborted, "killed", robot.GetPrimaryKey()));
        Assert.Equal(RobotStatus.Available, (await robot.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_robot_that_goes_offline_while_running_a_job_fails_it_and_loses_the_lease()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
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

    [Fact]
    public async Task A_stop_asked_by_an_operator_that_the_robot_ignores_is_aborted_after_AbortGrace()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Stopping, "operator", null));

        fixture.Time.Advance(ClusterFixture.Jobs.AbortGrace + TimeSpan.FromSeconds(0.5));
        var aborting = await EventuallyAsync(job, account, j => j.Status == JobStatus.Aborting);

        Assert.Contains("asked to stop", aborting.Message);
        Assert.Contains((await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands, c => c.Type == "AbortJob");
    }

    [Fact]
    public async Task An_aborting_job_whose_robot_does_not_answer_is_sent_AbortJob_again_after_AbortGrace()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Aborting, "operator", null));
        Assert.Contains((await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands, c => c.Type == "AbortJob");

        fixture.Time.Advance(ClusterFixture.Jobs.AbortGrace + TimeSpan.FromSeconds(0.5));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<RobotCommand> commands;
        while (!(commands = (await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands).Any(c => c.Type == "AbortJob") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(commands, c => c.Type == "AbortJob" && c.JobGuid == job.GetPrimaryKey());
        Assert.Equal(JobStatus.Aborting, (await job.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_leased_job_keeps_its_start_timeout_when_its_grain_is_deactivated()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        await robot.UpdateAsync(account, new RobotChange(null, null, true));

        // Most of the start timeout passes; the grain leaves memory and comes back (as on another silo).
        fixture.Time.Advance(ClusterFixture.Jobs.StartTimeout - TimeSpan.FromSeconds(0.5));
        await job.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.NotNull((await job.GetAsync(account))!.RobotGuid);

        // One second more is past the deadline set at the lease, though not past one restarted at reactivation.
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var waiting = await EventuallyAsync(job, account, j => j.RobotGuid is null);
        Assert.Contains("did not report Running", waiting.Message);
    }

    [Fact]
    public async Task A_robot_lost_while_its_grain_was_out_of_memory_still_fails_its_job()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));

        // The robot grain is gone before it could see the silence; it comes back with the lease it stored.
        await robot.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        fixture.Time.Advance(ClusterFixture.Liveness.OfflineAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(RobotStatus.Offline, (await robot.GetAsync(account))!.Status);

        var failed = await EventuallyAsync(job, account, j => j.Status == JobStatus.Failed);
        Assert.Contains("Robot lost", failed.Message);
        await EventuallyAsync(() => robot.DeleteAsync(account), WriteResult.Done);
    }

    [Fact]
    public async Task A_reactivated_robot_drops_a_stored_lease_its_job_does_not_confirm_and_takes_work_again()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);

        // As after a crash between writing the lease and the job assigning itself: the lease names a job that never
        // became this robot's.
        var stray = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, stray.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await stray.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));
        Assert.Equal(WriteResult.Done, await stray.TransitionAsync(account, JobStatus.Successful, null, robot.GetPrimaryKey()));
        await robot.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(OrchestratorStorageNames.GrainState);
        var state = new GrainState<RobotCommandQueue>();
        await storage.ReadStateAsync("robot", robot.GetGrainId(), state);
        Assert.Null(state.State!.LeasedJob);
        state.State!.LeasedJob = stray.GetPrimaryKey();
        await storage.WriteStateAsync("robot", robot.GetGrainId(), state);

        Assert.Equal(RobotStatus.Busy, (await robot.GetAsync(account))!.Status);
        var next = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, next.GetPrimaryKey());
        Assert.Equal(robot.GetPrimaryKey(), (await next.GetAsync(account))!.RobotGuid);
    }

    [Fact]
    public async Task A_robot_whose_job_ended_without_releasing_it_finds_out_at_its_next_idle_recheck()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot);
        await StartedAsync(account, robot, job.GetPrimaryKey());
        Assert.Equal(WriteResult.Done, await job.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));

        // As if the job's silo died between committing its outcome and telling the robot.
        await fixture.SiloServices.GetRequiredService<OrchestratorDatabase>().ExecuteAsync(
            "UPDATE jobs SET status = 2, finished_at = updated_at WHERE guid = @guid", ("@guid", job.GetPrimaryKey()));
        await job.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(RobotStatus.Busy, (await robot.HeartbeatAsync(account, JobScenario.Report()))!.Status);

        // The robot heartbeats on (never silent long enough to go Unresponsive) past one idle recheck.
        for (var waited = TimeSpan.Zero; waited <= new JobOptions().IdleRecheck; waited += TimeSpan.FromSeconds(3))
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(3));
            await robot.HeartbeatAsync(account, JobScenario.Report());
        }

        Assert.Equal(RobotStatus.Available, (await robot.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_job_assigned_to_a_robot_that_never_took_the_lease_waits_again_after_the_robot_comes_back()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        await robot.UpdateAsync(account, new RobotChange(null, null, true));
        var job = await CreateJobAsync(account, process, version, robot);
        var database = fixture.SiloServices.GetRequiredService<OrchestratorDatabase>();

        // As after a crash between the job assigning itself and the robot writing its lease: the row names the robot,
        // and neither the job, the robot nor the dispatcher is in memory.
        await database.ExecuteAsync(
            "UPDATE jobs SET robot_id = (SELECT id FROM robots WHERE guid = @robot), updated_at = @now WHERE guid = @guid",
            ("@robot", robot.GetPrimaryKey()), ("@now", fixture.Time.GetUtcNow()), ("@guid", job.GetPrimaryKey()));
        await job.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await fixture.Grains.GetGrain<IJobDispatcherGrain>(account).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await robot.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // Only the robot is called (the job is watched through its row, so that reading it does not wake it).
        Assert.Equal(RobotStatus.Disabled, (await robot.GetAsync(account))!.Status);
        fixture.Time.Advance(ClusterFixture.Jobs.StartTimeout + TimeSpan.FromSeconds(0.5));
        await EventuallyAsync(
            () => database.ScalarAsync("SELECT COUNT(*) FROM jobs WHERE guid = @guid AND robot_id IS NULL", ("@guid", job.GetPrimaryKey())),
            (long?)1);
    }

    [Fact]
    public async Task A_StartJob_the_robot_has_not_taken_goes_with_the_lease_when_the_job_waits_again()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var job = await CreateJobAsync(account, process, version, robot);

        // Leased while the robot is silent: its StartJob waits in its queue.
        await EventuallyAsync(job, account, j => j.RobotGuid == robot.GetPrimaryKey());
        await robot.UpdateAsync(account, new RobotChange(null, null, true));
        fixture.Time.Advance(ClusterFixture.Jobs.StartTimeout + TimeSpan.FromSeconds(0.5));
        await EventuallyAsync(job, account, j => j.RobotGuid is null);

        var commands = (await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands;
        Assert.DoesNotContain(commands, c => c.Type == "StartJob" && c.JobGuid == job.GetPrimaryKey());
    }

    private static Task EventuallyAsync<T>(Func<Task<T>> call, T expected) => Polling.EventuallyAsync(call, value => Equals(value, expected), seconds: 10);

    private async Task StartedAsync(long account, IRobotGrain robot, Guid job)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var reply = await robot.HeartbeatAsync(account, JobScenario.Report());
            if (reply!.Commands.Any(c => c.Type == "StartJob" && c.JobGuid == job))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("The robot never got StartJob.");
    }

    private static Task<JobInfo> EventuallyAsync(IJobGrain job, long account, Func<JobInfo, bool> condition) =>
        Polling.EventuallyAsync(async () => (await job.GetAsync(account))!, condition, seconds: 10);

    private async Task<IJobGrain> CreateJobAsync(long account, long process, long version, IRobotGrain robot, long? stopAfterSeconds = null)
    {
        var robotId = (await robot.GetAsync(account))!.Id;
        var job = fixture.Grains.GetGrain<IJobGrain>(Guid.NewGuid());
        var created = await job.CreateAsync(new JobDraft(account, process, version, robotId, null, 1, null, stopAfterSeconds, null));
        Assert.Equal(WriteResult.Done, created.Result);
        return job;
    }
}
