using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Triggers;

/// <summary>
/// One orchestrator whose clock the tests move, and that a test may stop and start again on the same database
/// with the clock moved meanwhile (missed occurrences). Triggers' timers read the clock every 50 ms, so a moved
/// clock is seen at once.
/// </summary>
public abstract class TriggerClockHost(DatabaseKind wiring) : ClockHost(wiring)
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Orchestrator:Triggers:ClockCheck"] = "00:00:00.050";
}

public sealed class EmbeddedTriggerClockHost() : TriggerClockHost(DatabaseKind.Sqlite);

public sealed class PostgresTriggerClockHost() : TriggerClockHost(DatabaseKind.PostgreSql);
