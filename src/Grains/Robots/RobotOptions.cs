using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Robots;

/// <summary>How robot liveness is judged; bound from <c>Orchestrator:Robots</c>.</summary>
public sealed class RobotOptions
{
    public const string Section = "Orchestrator:Robots";

    /// <summary>How often robots are told to heartbeat.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>No heartbeat for this long: Available/Busy becomes Unresponsive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UnresponsiveAfter { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>No heartbeat for this long: the robot is Offline.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The last-heartbeat time is written to the robot's record at most this often (and on every status
    /// change), so heartbeats cost memory, not database writes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HeartbeatPersistInterval { get; set; } = TimeSpan.FromMinutes(1);
}
