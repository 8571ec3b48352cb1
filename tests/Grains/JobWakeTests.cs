using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;
using Orleans.Core.Internal;

namespace Orchestrator.Tests.Grains;

/// <summary>
/// An idle robot hears of a job it may take at once, not at its next idle recheck: the clock never moves here, so a
/// robot that missed its wake-up would never be handed the job.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JobWakeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_idle_robot_is_woken_for_a_new_job_after_the_dispatcher_left_memory()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        await fixture.Grains.GetGrain<IJobDispatcherGrain>(account).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var job = await CreateJobAsync(account, process, version, null);

        await StartedAsync(account, robot, job);
    }

    [Fact]
    public async Task A_robot_removed_from_a_group_no_longer_takes_the_groups_jobs()
    {
        var (account, robot, process, version) = await JobScenario.SetUpAsync(fixture);
        var robotId = (await robot.GetAsync(account))!.Id;
        var group = fixture.Grains.GetGrain<IRobotGroupGrain>(Guid.NewGuid());
        var groupId = (await group.CreateAsync(new RobotGroupDraft(account, "crew", ""))).Id;
        Assert.Equal(WriteResult.Done, await group.AddRobotAsync(account, robotId));
        var first = await CreateJobAsync(account, process, version, groupId);
        await StartedAsync(account, robot, first);
        await FinishAsync(account, robot, first);

        Assert.Equal(WriteResult.Done, await group.RemoveRobotAsync(account, robotId));
        var forGroup = await CreateJobAsync(account, process, version, groupId);
        var forAny = await CreateJobAsync(account, process, version, null);

        // The group's job is older: a robot that still counted itself a member would take it first.
        await StartedAsync(account, robot, forAny);
        Assert.Null((await fixture.Grains.GetGrain<IJobGrain>(forGroup).GetAsync(account))!.RobotGuid);
    }

    private static async Task StartedAsync(long account, IRobotGrain robot, Guid job)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if ((await robot.HeartbeatAsync(account, JobScenario.Report()))!.Commands.Any(c => c.Type == "StartJob" && c.JobGuid == job))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("The robot never got StartJob.");
    }

    private async Task FinishAsync(long account, IRobotGrain robot, Guid job)
    {
        var grain = fixture.Grains.GetGrain<IJobGrain>(job);
        Assert.Equal(WriteResult.Done, await grain.TransitionAsync(account, JobStatus.Running, null, robot.GetPrimaryKey()));
        Assert.Equal(WriteResult.Done, await grain.TransitionAsync(account, JobStatus.Successful, null, robot.GetPrimaryKey()));
    }

    private async Task<Guid> CreateJobAsync(long account, long process, long version, long? group)
    {
        var job = Guid.NewGuid();
        var created = await fixture.Grains.GetGrain<IJobGrain>(job).CreateAsync(new JobDraft(account, process, version, null, group, 1, null, null, null));
        Assert.Equal(WriteResult.Done, created.Result);
        return job;
    }
}
