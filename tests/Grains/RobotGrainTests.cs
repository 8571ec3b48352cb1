using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class RobotGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Heartbeat_after_timeout_marks_robot_unresponsive_then_offline()
    {
        var (account, robot) = await NewRobotAsync();
        Assert.Equal(RobotStatus.Available, (await robot.HeartbeatAsync(account, Report()))!.Status);

        fixture.Time.Advance(ClusterFixture.Liveness.UnresponsiveAfter + TimeSpan.FromSeconds(0.5));
        Assert.Equal(RobotStatus.Unresponsive, (await robot.GetAsync(account))!.Status);

        fixture.Time.Advance(ClusterFixture.Liveness.OfflineAfter);
        Assert.Equal(RobotStatus.Offline, (await robot.GetAsync(account))!.Status);

        Assert.Equal(RobotStatus.Available, (await robot.HeartbeatAsync(account, Report()))!.Status);
    }

    [Fact]
    public async Task A_status_change_from_silence_reaches_the_stored_record()
    {
        var (account, robot) = await NewRobotAsync();
        await robot.HeartbeatAsync(account, Report());
        var records = fixture.SiloServices.GetRequiredService<RobotRecords>();
        var guid = robot.GetPrimaryKey();
        Assert.Equal(RobotStatus.Available, (await records.FindAsync(guid))!.Status);

        fixture.Time.Advance(ClusterFixture.Liveness.UnresponsiveAfter + TimeSpan.FromSeconds(0.5));

        // The liveness timer runs on real time (every second with these windows) and reads the moved clock.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await records.FindAsync(guid))!.Status != RobotStatus.Unresponsive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(RobotStatus.Unresponsive, (await records.FindAsync(guid))!.Status);
    }

    [Fact]
    public async Task An_open_long_poll_keeps_the_robot_alive()
    {
        var (account, robot) = await NewRobotAsync();
        await robot.HeartbeatAsync(account, Report());
        var watch = LongPollProbe.Instance.Watch(robot);

        var waiting = robot.WaitForCommandsAsync(account, TimeSpan.FromSeconds(4));
        await watch.WaitingAsync();
        fixture.Time.Advance(ClusterFixture.Liveness.UnresponsiveAfter * 2);

        // Silent for twice the window, yet Available for as long as the poll is open, and after it ran out.
        Assert.Equal(RobotStatus.Available, (await robot.GetAsync(account))!.Status);
        Assert.False(await waiting);
        Assert.Equal(RobotStatus.Available, (await robot.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_long_poll_the_robot_hung_up_on_does_not_keep_it_alive()
    {
        var (account, robot) = await NewRobotAsync();
        await robot.HeartbeatAsync(account, Report());
        var watch = LongPollProbe.Instance.Watch(robot);
        using var hangUp = new CancellationTokenSource();

        var waiting = robot.WaitForCommandsAsync(account, TimeSpan.FromSeconds(20), hangUp.Token);
        await watch.WaitingAsync();
        fixture.Time.Advance(ClusterFixture.Liveness.UnresponsiveAfter + TimeSpan.FromSeconds(0.5));
        Assert.Equal(RobotStatus.Available, (await robot.GetAsync(account))!.Status);

        await hangUp.CancelAsync();
        try
        {
            Assert.False(await waiting.WaitAsync(LongPollWatch.Patience));
        }
        catch (OperationCanceledException)
        {
            // Either answer is fine: the caller has gone.
        }

        // The hang-up reaches the grain as a cancellation message, a moment after the caller has given up;
        // once the wait has ended there, the robot is as silent as it really was.
        await watch.EndedAsync();
        Assert.Equal(RobotStatus.Unresponsive, (await robot.GetAsync(account))!.Status);
    }

    [Fact]
    public async Task A_long_poll_wakes_when_a_command_is_queued()
    {
        var (account, robot) = await NewRobotAsync();
        var job = Guid.NewGuid();
        var watch = LongPollProbe.Instance.Watch(robot);

        // Waits far longer than the test is patient: only the command can end it in time.
        var waiting = robot.WaitForCommandsAsync(account, TimeSpan.FromSeconds(25));
        await watch.WaitingAsync();
        await robot.EnqueueCommandAsync(new RobotCommand("StartJob", job, Guid.NewGuid(), "invoice.robot", "{}", 60));

        Assert.True(await waiting.WaitAsync(LongPollWatch.Patience));
        var command = Assert.Single((await robot.HeartbeatAsync(account, Report()))!.Commands);
        Assert.Equal(job, command.JobGuid);
        Assert.Equal("invoice.robot", command.ProcessFileName);
        Assert.Empty((await robot.HeartbeatAsync(account, Report()))!.Commands);
    }

    [Fact]
    public async Task Commands_a_robot_did_not_receive_are_returned_ahead_of_the_queue()
    {
        var (account, robot) = await NewRobotAsync();
        var (first, second, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await robot.EnqueueCommandAsync(new RobotCommand("StopJob", first));
        await robot.EnqueueCommandAsync(new RobotCommand("StopJob", second));
        var taken = (await robot.HeartbeatAsync(account, Report()))!.Commands;

        await robot.EnqueueCommandAsync(new RobotCommand("AbortJob", third));
        await robot.ReturnCommandsAsync(account, taken);

        var redelivered = (await robot.HeartbeatAsync(account, Report()))!.Commands;
        Assert.Equal([first, second, third], redelivered.Select(c => c.JobGuid));
    }

    [Fact]
    public async Task Deleting_a_robot_wakes_its_waiting_long_poll()
    {
        var (account, robot) = await NewRobotAsync();

        var watch = LongPollProbe.Instance.Watch(robot);

        var waiting = robot.WaitForCommandsAsync(account, TimeSpan.FromSeconds(25));
        await watch.WaitingAsync();
        await robot.DeleteAsync(account);

        Assert.False(await waiting.WaitAsync(LongPollWatch.Patience));
        Assert.Null(await robot.HeartbeatAsync(account, Report()));
    }

    [Fact]
    public async Task A_queued_command_survives_the_robot_grain_being_deactivated()
    {
        var (account, robot) = await NewRobotAsync();
        var job = Guid.NewGuid();
        await robot.EnqueueCommandAsync(new RobotCommand("AbortJob", job));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var reply = await robot.HeartbeatAsync(account, Report());
        Assert.Equal(job, Assert.Single(reply!.Commands).JobGuid);
    }

    [Fact]
    public async Task A_robot_that_acknowledges_gets_its_commands_until_it_has_acknowledged_them()
    {
        var (account, robot) = await NewRobotAsync();
        await robot.EnqueueCommandAsync(new RobotCommand("StopJob", Guid.NewGuid()));
        await robot.EnqueueCommandAsync(new RobotCommand("AbortJob", Guid.NewGuid()));

        var first = (await robot.HeartbeatAsync(account, Report(ack: 0)))!.Commands;
        Assert.Equal([1L, 2L], first.Select(c => c.Seq));

        // The answer was lost: the next heartbeat, still acknowledging nothing new, gets them again.
        Assert.Equal([1L, 2L], (await robot.HeartbeatAsync(account, Report(ack: 0)))!.Commands.Select(c => c.Seq));

        // Even across a deactivation, until acknowledged.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal([2L], (await robot.HeartbeatAsync(account, Report(ack: 1)))!.Commands.Select(c => c.Seq));
        await robot.EnqueueCommandAsync(new RobotCommand("StopJob", Guid.NewGuid()));
        Assert.Equal([3L], (await robot.HeartbeatAsync(account, Report(ack: 2)))!.Commands.Select(c => c.Seq));
        Assert.Empty((await robot.HeartbeatAsync(account, Report(ack: 3)))!.Commands);
    }

    [Fact]
    public async Task Disabled_is_sticky_until_re_enabled()
    {
        var (account, robot) = await NewRobotAsync();
        Assert.Equal(WriteResult.Done, await robot.UpdateAsync(account, new RobotChange(null, null, Disabled: true)));

        Assert.Equal(RobotStatus.Disabled, (await robot.HeartbeatAsync(account, Report()))!.Status);
        fixture.Time.Advance(ClusterFixture.Liveness.OfflineAfter * 2);
        Assert.Equal(RobotStatus.Disabled, (await robot.GetAsync(account))!.Status);

        await robot.UpdateAsync(account, new RobotChange(null, null, Disabled: false));
        Assert.Equal(RobotStatus.Offline, (await robot.GetAsync(account))!.Status);
        Assert.Equal(RobotStatus.Available, (await robot.HeartbeatAsync(account, Report()))!.Status);
    }

    [Fact]
    public async Task Another_accounts_robot_answers_as_if_it_did_not_exist()
    {
        var (account, robot) = await NewRobotAsync();
        var (stranger, _) = await NewRobotAsync();

        Assert.Null(await robot.GetAsync(stranger));
        Assert.Null(await robot.HeartbeatAsync(stranger, Report()));
        Assert.Equal(WriteResult.NotFound, await robot.UpdateAsync(stranger, new RobotChange("stolen", null, null)));
        Assert.Equal(WriteResult.NotFound, await robot.DeleteAsync(stranger));
        Assert.Equal("robot", (await robot.GetAsync(account))!.Name);
    }

    private static HeartbeatReport Report(long? ack = null) => new("WS-1", "10.0.0.1", "00:00:00:00:00:01", "1.0", ack);

    private async Task<(long Account, IRobotGrain Robot)> NewRobotAsync()
    {
        var draft = new AccountDraft(Guid.NewGuid().ToString("N"), "hash", ApiKeys.Hash(ApiKeys.Generate()), false, new AccountProfile());
        var account = await fixture.Grains.GetGrain<IAccountGrain>(Guid.NewGuid()).CreateAsync(draft);
        var robot = fixture.Grains.GetGrain<IRobotGrain>(Guid.NewGuid());
        var created = await robot.CreateAsync(new RobotDraft(account.Id, "robot", ""));
        Assert.Equal(WriteResult.Done, created.Result);
        return (account.Id, robot);
    }
}
