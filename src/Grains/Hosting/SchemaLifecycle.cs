using Orchestrator.Storage;

namespace Orchestrator.Hosting;

/// <summary>Applies the schema first thing in the silo's start, before any Orleans provider reads its queries.</summary>
public sealed class SchemaLifecycle(SchemaInstaller installer) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaLifecycle), ServiceLifecycleStage.First, installer.ApplyAsync);
}
