using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Queues;

/// <summary>
/// One orchestrator whose clock the tests move (the abandon window), whose task payload limit is small,
/// so that the limit is met before the request body limit, and whose queues keep their SQLite writer 5 s.
/// </summary>
public abstract class QueueClockHost(DatabaseKind wiring) : ClockHost(wiring)
{
    public const int MaxPayloadBytes = 4096;

    /// <summary>How long a queue keeps its SQLite writer with no batch: long enough that a test sees it kept, short enough to see it closed.</summary>
    public static readonly TimeSpan WriterIdle = TimeSpan.FromSeconds(5);

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Orchestrator:Queues:MaxPayloadBytes"] = MaxPayloadBytes.ToString();
        settings["Orchestrator:Queues:WriterIdle"] = WriterIdle.ToString();
    }
}

public sealed class EmbeddedQueueClockHost() : QueueClockHost(DatabaseKind.Sqlite);

public sealed class PostgresQueueClockHost() : QueueClockHost(DatabaseKind.PostgreSql);
