namespace Orchestrator.Robots;

/// <summary>
/// An instruction for a robot, delivered in a heartbeat answer. <see cref="Type"/> is the wire name
/// (StartJob, StopJob, AbortJob); the remaining members are filled for the types that use them.
/// <see cref="Seq"/> is stamped by the robot's grain when the command is queued: it rises by one per command
/// of that robot, and a robot acknowledges what it has received by sending the highest one back.
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.robot-command")]
public sealed record RobotCommand(
    [property: Id(0)] string Type,
    [property: Id(1)] Guid JobGuid,
    [property: Id(2)] Guid? ProcessVersionGuid = null,
    [property: Id(3)] string? ProcessFileName = null,
    [property: Id(4)] string? Parameters = null,
    [property: Id(5)] long? StopAfter = null,
    [property: Id(6)] long Seq = 0);
