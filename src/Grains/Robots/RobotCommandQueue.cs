namespace Orchestrator.Robots;

/// <summary>
/// The commands queued for a robot and not yet delivered (or, for a robot that acknowledges, not yet
/// acknowledged). Kept in Orleans grain storage: a command is work handed to a robot, and a silo crash
/// between queueing and delivery must not lose it.
/// </summary>
[GenerateSerializer, Alias("orchestrator.robot-command-queue")]
public sealed class RobotCommandQueue
{
    [Id(0)]
    public List<RobotCommand> Pending { get; set; } = [];

    /// <summary>The <see cref="RobotCommand.Seq"/> of the last command queued.</summary>
    [Id(1)]
    public long LastSeq { get; set; }
}
