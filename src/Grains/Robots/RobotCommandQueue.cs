namespace Orchestrator.Robots;

/// <summary>
/// The commands queued for a robot and not yet delivered. Kept in Orleans grain storage: a command is work
/// handed to a robot, and a silo crash between queueing and delivery must not lose it.
/// </summary>
[GenerateSerializer, Alias("orchestrator.robot-command-queue")]
public sealed class RobotCommandQueue
{
    [Id(0)]
    public List<RobotCommand> Pending { get; set; } = [];
}
