namespace Orchestrator.Robots;

/// <summary>
/// The commands queued for a robot and not yet delivered (or, for a robot that acknowledges, not yet
/// acknowledged), and the job lease it holds. Kept in Orleans grain storage: a command is work handed to a
/// robot and a lease is a promise that the robot runs that job and no other, and a silo crash must lose neither.
/// </summary>
[GenerateSerializer, Alias("orchestrator.robot-command-queue")]
public sealed class RobotCommandQueue
{
    [Id(0)]
    public List<RobotCommand> Pending { get; set; } = [];

    /// <summary>The <see cref="RobotCommand.Seq"/> of the last command queued.</summary>
    [Id(1)]
    public long LastSeq { get; set; }

    /// <summary>The job this robot holds the lease of; null when it holds none. A robot holds at most one.</summary>
    [Id(2)]
    public Guid? LeasedJob { get; set; }
}
