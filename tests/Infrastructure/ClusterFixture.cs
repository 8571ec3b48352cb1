using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orleans.TestingHost;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A one-silo in-process Orleans cluster hosting the orchestrator's grains on a real SQLite file, with the
/// orchestrator's clock under the test's control (Orleans' own clock stays real).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Short liveness windows, so the liveness timer ticks every second.</summary>
    public static readonly RobotOptions Liveness = new() { UnresponsiveAfter = TimeSpan.FromSeconds(4), OfflineAfter = TimeSpan.FromSeconds(8) };

    /// <summary>Job deadlines shorter than the liveness windows, so a test can pass one without the robot going silent.</summary>
    public static readonly JobOptions Jobs = new() { StartTimeout = TimeSpan.FromSeconds(2), AbortGrace = TimeSpan.FromSeconds(2) };

    private readonly string _dataPath = TempFolder.Create("cluster");

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public async Task InitializeAsync()
    {
        var database = OrchestratorDatabase.Embedded(_dataPath);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrchestratorGrains(database);
            silo.AddIncomingGrainCallFilter(LongPollProbe.Instance);
            silo.Services.AddSingleton(new OrchestratorClock(Time));
            silo.Services.Configure<RobotOptions>(o =>
            {
                o.UnresponsiveAfter = Liveness.UnresponsiveAfter;
                o.OfflineAfter = Liveness.OfflineAfter;
            });
            silo.Services.Configure<JobOptions>(o =>
            {
                o.StartTimeout = Jobs.StartTimeout;
                o.AbortGrace = Jobs.AbortGrace;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        TempFolder.Delete(_dataPath);
    }
}
