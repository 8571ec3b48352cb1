using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Grains;

/// <summary>The periodic write of a steady heartbeat: its time reaches the record, committed with other robots' times.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HeartbeatPersistTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Robots_heartbeating_past_the_persist_interval_store_their_last_heartbeat_time()
    {
        var draft = new AccountDraft(Guid.NewGuid().ToString("N"), "hash", ApiKeys.Hash(ApiKeys.Generate()), false, new AccountProfile());
        var account = (await fixture.Grains.GetGrain<IAccountGrain>(Guid.NewGuid()).CreateAsync(draft)).Id;
        var robots = new List<(Guid Guid, IRobotGrain Grain)>();
        for (var i = 0; i < 40; i++)
        {
            var guid = Guid.NewGuid();
            var robot = fixture.Grains.GetGrain<IRobotGrain>(guid);
            Assert.Equal(WriteResult.Done, (await robot.CreateAsync(new RobotDraft(account, $"robot-{i}", ""))).Result);
            robots.Add((guid, robot));
        }

        var report = new HeartbeatReport("WS-1", "10.0.0.1", "00:00:00:00:00:01", "1.0");
        await Task.WhenAll(robots.Select(r => r.Grain.HeartbeatAsync(account, report)));
        var records = fixture.SiloServices.GetRequiredService<RobotRecords>();
        var first = (await records.FindAsync(robots[0].Guid))!.LastHeartbeatAt;

        // Steady heartbeats, often enough to stay Available, until the persist interval has passed: all at once,
        // so that their periodic writes arrive together.
        var interval = ClusterFixture.Liveness.HeartbeatPersistInterval;
        var step = ClusterFixture.Liveness.UnresponsiveAfter / 2;
        for (var elapsed = TimeSpan.Zero; elapsed <= interval; elapsed += step)
        {
            fixture.Time.Advance(step);
            var replies = await Task.WhenAll(robots.Select(r => r.Grain.HeartbeatAsync(account, report)));
            Assert.All(replies, reply => Assert.Equal(RobotStatus.Available, reply!.Status));
        }

        foreach (var (guid, _) in robots)
        {
            var stored = (await records.FindAsync(guid))!;
            Assert.True(stored.LastHeartbeatAt > first, $"robot {guid}: stored {stored.LastHeartbeatAt}, first {first}");
            Assert.Equal(RobotStatus.Available, stored.Status);
        }
    }
}
