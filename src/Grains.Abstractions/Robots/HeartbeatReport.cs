namespace Orchestrator.Robots;

/// <summary>What a robot reports about itself in a heartbeat; null members were not sent.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.heartbeat-report")]
public sealed record HeartbeatReport(
    [property: Id(0)] string? Machine,
    [property: Id(1)] string? IP,
    [property: Id(2)] string? MAC,
    [property: Id(3)] string? Version);
