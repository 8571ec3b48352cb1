namespace Orchestrator.Robots;

/// <summary>The answer to a heartbeat: the robot's status and the commands queued for it, now delivered.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.heartbeat-reply")]
public sealed record HeartbeatReply(
    [property: Id(0)] RobotStatus Status,
    [property: Id(1)] IReadOnlyList<RobotCommand> Commands);
