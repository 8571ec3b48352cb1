using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Robots;

/// <summary>
/// One robot: the only writer of its record, and the holder of its live state (last heartbeat,
/// reported machine, queued commands, waiting long-polls). Keyed by the robot's GUID.
/// Every call names the caller's account; a robot of another account answers as if it did not exist.
/// </summary>
[Alias("orchestrator.robot")]
public interface IRobotGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(RobotDraft draft);

    [Alias("get"), ReadOnly]
    Task<RobotInfo?> GetAsync(long accountId);

    [Alias("update")]
    Task<WriteResult> UpdateAsync(long accountId, RobotChange change);

    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);

    /// <summary>Records a heartbeat in memory and hands over the commands queued so far; null when the robot is unknown.</summary>
    [Alias("heartbeat")]
    Task<HeartbeatReply?> HeartbeatAsync(long accountId, HeartbeatReport report);

    /// <summary>
    /// Long-poll: completes as soon as a command is queued, or after <paramref name="wait"/> with none.
    /// Interleaves so that the enqueue that wakes it can run while it waits.
    /// </summary>
    [Alias("wait-for-commands"), AlwaysInterleave]
    Task<IReadOnlyList<RobotCommand>> WaitForCommandsAsync(long accountId, TimeSpan wait);

    /// <summary>Queues a command for the robot's next heartbeat and wakes a waiting long-poll.</summary>
    [Alias("enqueue-command")]
    Task<WriteResult> EnqueueCommandAsync(RobotCommand command);
}
