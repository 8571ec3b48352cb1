namespace Orchestrator.Robots;

/// <summary>Robot status as API.md §2 defines it; the numbers are part of the contract.</summary>
[GenerateSerializer, Alias("orchestrator.robot-status")]
public enum RobotStatus
{
    Offline = 0,
    Available = 1,
    Busy = 2,
    Unresponsive = 3,
    Disabled = 4,
}
