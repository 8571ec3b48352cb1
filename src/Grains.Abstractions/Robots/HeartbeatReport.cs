namespace Orchestrator.Robots;

/// <summary>
/// What a robot reports about itself in a heartbeat; null members were not sent. <see cref="Ack"/> is the
/// highest command <c>Seq</c> the robot has received: a robot that sends it gets its commands until it has
/// acknowledged them (at least once); one that never does gets each command in one answer only (at most once).
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.heartbeat-report")]
public sealed record HeartbeatReport(
    [property: Id(0)] string? Machine,
    [property: Id(1)] string? IP,
    [property: Id(2)] string? MAC,
    [property: Id(3)] string? Version,
    [property: Id(4)] long? Ack = null,
    [property: Id(5)] RunningJobReport? RunningJob = null);

/// <summary>The job a robot says it runs (<c>RunningJobGUID</c>): <see cref="Job"/> null when it says it runs none.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.running-job-report")]
public sealed record RunningJobReport([property: Id(0)] Guid? Job);
