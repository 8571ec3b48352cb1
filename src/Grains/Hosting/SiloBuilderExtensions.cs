using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orchestrator.Accounts;
using Orchestrator.Queues;
using Orchestrator.Assets;
using Orchestrator.Logs;
using Orchestrator.Files;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orchestrator.Triggers;

namespace Orchestrator.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Everything a silo needs to host the orchestrator's grains on <paramref name="database"/>: the schema,
    /// Orleans grain storage and reminders on the same database, the record queries, and the key cache.
    /// Membership is the caller's choice (localhost for the embedded wiring, ADO.NET for the cluster).
    /// </summary>
    public static ISiloBuilder AddOrchestratorGrains(this ISiloBuilder silo, OrchestratorDatabase database)
    {
        silo.AddAdoNetGrainStorage(OrchestratorStorageNames.EarlierGrainState, o =>
        {
            o.Invariant = database.OrleansInvariant;
            o.ConnectionString = database.ConnectionString;
        });
        silo.Services.AddGrainStorage(OrchestratorStorageNames.GrainState, (sp, _) => new GroupCommitGrainStorage(
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            database,
            sp.GetRequiredService<GroupCommit>(),
            sp.GetRequiredService<IGrainStorageSerializer>(),
            sp.GetRequiredKeyedService<IGrainStorage>(OrchestratorStorageNames.EarlierGrainState)));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = database.OrleansInvariant;
            o.ConnectionString = database.ConnectionString;
        });
        silo.AddGrainService<ApiKeyCacheService>();

        var services = silo.Services;
        services.AddOptions<OrchestratorOptions>().BindConfiguration(OrchestratorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RobotOptions>().BindConfiguration(RobotOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.UnresponsiveAfter < o.OfflineAfter, "Orchestrator:Robots:UnresponsiveAfter must be shorter than OfflineAfter.")
            .ValidateOnStart();
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TriggerOptions>().BindConfiguration(TriggerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(database);
        services.TryAddSingleton(OrchestratorClock.System);
        services.AddSingleton<SchemaInstaller>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaLifecycle>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AdministratorBootstrap>();
        services.AddOptions<SecretKeyOptions>().BindConfiguration(OrchestratorOptions.Section);
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SecretKeyLifecycle>();
        services.AddSingleton<AssetRecords>();
        services.AddSingleton<LogRecords>();
        services.AddSingleton<LogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<LogWriter>());
        services.AddSingleton<AccountRecords>();
        services.AddSingleton<RobotRecords>();
        services.AddSingleton<RobotHeartbeatWriter>();
        services.AddSingleton<RobotGroupRecords>();
        services.AddSingleton<QueueRecords>();
        services.AddSingleton<TaskRecords>();
        services.AddSingleton<IJobEndedHandler, QueueTasksOfEndedJob>();
        services.AddSingleton<FileBlobs>();
        services.AddSingleton<OrphanFileSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<OrphanFileSweep>());
        services.AddSingleton<FolderRecords>();
        services.AddSingleton<FileRecords>();
        services.AddSingleton<ProcessRecords>();
        services.AddSingleton<ProcessVersionRecords>();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<JobRecords>();
        services.AddSingleton<DispatchNotices>();
        services.AddSingleton<JobEndRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<JobEndRecovery>());
        services.AddSingleton<AimedJobs>();
        services.AddSingleton<HeldJobsWakeup>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<HeldJobsWakeup>());
        services.AddSingleton<LiveRobotsWakeup>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LiveRobotsWakeup>());
        services.AddSingleton<TriggerRecords>();
        services.AddSingleton<TriggerFireGate>();
        services.AddSingleton<TriggerNotices>();
        services.AddSingleton<IJobEndedHandler, ContinuousTriggerRefill>();
        services.AddSingleton<TriggerWakeup>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<TriggerWakeup>());
        services.AddSingleton<ApiKeyCache>();
        services.AddHostedService<ApiKeyRevocationWatch>();
        services.AddSingleton<IApiKeyRevocation, ApiKeyRevocation>();
        return silo;
    }
}
