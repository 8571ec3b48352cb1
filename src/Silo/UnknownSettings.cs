using System.Reflection;
using Orchestrator.Assets;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Queues;
using Orchestrator.Robots;
using Orchestrator.Triggers;

namespace Orchestrator.Silo;

/// <summary>
/// The settings under <c>Orchestrator</c> that no options class reads. .NET binds what it knows and drops the rest, so
/// a misspelt key (<c>Orchestrator:Jobs:StartTimout</c>) would leave its default in force without a word.
/// </summary>
public static class UnknownSettings
{
    private static readonly (string Section, Type Options)[] Known =
    [
        (OrchestratorOptions.Section, typeof(OrchestratorOptions)),
        (OrchestratorOptions.Section, typeof(SecretKeyOptions)),
        (RobotOptions.Section, typeof(RobotOptions)),
        (JobOptions.Section, typeof(JobOptions)),
        (QueueOptions.Section, typeof(QueueOptions)),
        (TriggerOptions.Section, typeof(TriggerOptions)),
    ];

    private static readonly HashSet<string> KnownKeys = Known
        .SelectMany(k => k.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{k.Section}:{p.Name}"))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The keys under <c>Orchestrator</c> that hold a value and that nothing reads, in configuration order.</summary>
    public static IEnumerable<string> In(IConfiguration configuration) =>
        configuration.GetSection(OrchestratorOptions.Section).AsEnumerable()
            .Where(setting => setting.Value is not null && !KnownKeys.Contains(setting.Key))
            .Select(setting => setting.Key);
}
