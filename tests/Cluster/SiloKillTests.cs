using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;
using Orchestrator.Common;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// A silo killed outright loses nothing that was acknowledged: the grains that wrote it lived on the killed
/// silo, and the other silo serves it all.
/// </summary>
public sealed class SiloKillTests
{
    [Fact]
    public async Task Killing_a_silo_loses_no_account_robot_group_or_queued_command()
    {
        await using var cluster = await KillableCluster.StartAsync();
        var (doomed, survivor) = (cluster.Doomed, cluster.Survivor!);

        // Everything is made through the silo that is about to die.
        using var admin = doomed.Client();
        var key = await TenantAccount.CreateAsync(admin, "survivor");
        using var tenant = doomed.Client(key);
        var robots = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            robots.Add((await tenant.PostAsync("/api/robot/create", $$"""{"Name": "robot {{i}}"}""")).GetProperty("GUID").GetGuid());
        }

        var group = (await tenant.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();

        // Placement would put each grain on either silo: move every one under test to the doomed silo, and
        // check that it lives there, before the state they hold in memory and write (reported machines,
        // the group's member, queued commands) is made.
        var grains = survivor.Services.GetRequiredService<IGrainFactory>();
        var management = grains.GetGrain<IManagementGrain>(0);
        var survivorSilo = survivor.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var doomedSilo = (await management.GetHosts(onlyActive: true)).Keys.Single(s => !s.Equals(survivorSilo));
        var underTest = robots.Select(r => (IAddressable)grains.GetGrain<IRobotGrain>(r)).Append(grains.GetGrain<IRobotGroupGrain>(group)).ToList();
        foreach (var grain in underTest)
        {
            await MoveAsync(grain, doomedSilo, management);
        }

        // Written by those grains on the doomed silo, through its HTTP endpoint and its gateway: what the
        // robots report, the group's member, the queued commands.
        for (var i = 0; i < robots.Count; i++)
        {
            await tenant.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robots[i]}}", "Machine": "WS-{{i}}"}""");
        }

        await tenant.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robots[0]}}"}""");
        var jobs = new Dictionary<Guid, Guid>();
        using (var doomedClient = await doomed.ConnectClientAsync())
        {
            var throughDoomed = doomedClient.Services.GetRequiredService<IClusterClient>();
            foreach (var robot in robots)
            {
                jobs[robot] = Guid.NewGuid();
                Assert.Equal(WriteResult.Done, await throughDoomed.GetGrain<IRobotGrain>(robot).EnqueueCommandAsync(new RobotCommand("StopJob", jobs[robot])));
            }

            await doomedClient.StopAsync();
        }

        foreach (var grain in underTest)
        {
            Assert.Equal(doomedSilo, await management.GetActivationAddress(grain));
        }

        doomed.Kill();

        // The survivor answers once membership has declared the dead silo dead; until then a call that
        // reaches for it may fail, and is retried as a robot would.
        using var client = survivor.Client(key);
        foreach (var robot in robots)
        {
            var beat = await KillableCluster.RetryForBodyAsync(() => client.SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}"}"""));
            Assert.Equal(jobs[robot], Assert.Single(beat.GetProperty("Commands").EnumerateArray()).GetProperty("JobGUID").GetGuid());
        }

        for (var i = 0; i < robots.Count; i++)
        {
            var read = await KillableCluster.RetryForBodyAsync(() => client.SendAsync(HttpMethod.Get, $"/api/robot/read/{robots[i]}"));
            Assert.Equal($"robot {i}", read.GetProperty("Name").GetString());
            Assert.Equal($"WS-{i}", read.GetProperty("Machine").GetString());
        }

        var crew = await KillableCluster.RetryForBodyAsync(() => client.SendAsync(HttpMethod.Get, $"/api/robotGroup/read/{group}"));
        Assert.Equal(robots[0], Assert.Single(crew.GetProperty("robots").EnumerateArray()).GetGuid());
        Assert.Equal(10, (await client.GetAsync("/api/robot/read")).GetArrayLength());

        // Served by grains the survivor brought back: the dead silo hosts nothing any more.
        foreach (var grain in underTest)
        {
            Assert.Equal(survivorSilo, await management.GetActivationAddress(grain));
        }
    }

    /// <summary>
    /// Moves <paramref name="grain"/> to <paramref name="silo"/> (activating it there if it is not active yet) and
    /// waits until the directory says it lives there.
    /// </summary>
    private static async Task MoveAsync(IAddressable grain, SiloAddress silo, IManagementGrain management)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(50))
        {
            if (silo.Equals(await management.GetActivationAddress(grain)))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{grain.GetGrainId()} did not move to {silo}");
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            try
            {
                await grain.Cast<IGrainManagementExtension>().MigrateOnIdle();
            }
            finally
            {
                RequestContext.Clear();
            }
        }
    }
}
