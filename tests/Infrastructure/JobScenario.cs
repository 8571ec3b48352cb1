using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Processes;
using Orchestrator.Robots;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// What a grain-level job test starts from: a fresh account with one robot that has heartbeated, and a process with one
/// version (a three-byte file), all created through the grains of the test cluster.
/// </summary>
public static class JobScenario
{
    /// <summary>The heartbeat the scenario's robot sends: version 1.0, so no MinVersionToRun stands in its way.</summary>
    public static HeartbeatReport Report() => new("WS", "10.0.0.1", "00:00:00:00:00:01", "1.0");

    public static async Task<(long Account, IRobotGrain Robot, long Process, long Version)> SetUpAsync(ClusterFixture fixture)
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
