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

    /// <summary>
    /// Records a heartbeat in memory and hands over the commands queued so far (see <see cref="HeartbeatReport.Ack"/>);
    /// null when the robot is unknown.
    /// </summary>
    [Alias("heartbeat")]
    Task<HeartbeatReply?> HeartbeatAsync(long accountId, HeartbeatReport report);

    /// <summary>
    /// Long-poll: completes as soon as a command is queued (true), after <paramref name="wait"/> with none
    /// (false), or when the robot hangs up. It only waits: the commands are taken by the next
    /// <see cref="HeartbeatAsync"/>, which does not interleave with other calls. It interleaves so that the
    /// enqueue that wakes it can run while it waits.
    /// </summary>
    [Alias("wait-for-commands"), AlwaysInterleave]
    Task<bool> WaitForCommandsAsync(long accountId, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Queues a command for the robot's next heartbeat and wakes a waiting long-poll.</summary>
    [Alias("enqueue-command")]
    Task<WriteResult> EnqueueCommandAsync(RobotCommand command);

    /// <summary>
    /// Asks the robot to look for work now (it was idle and a job it suits arrived, or it was added to a group).
    /// The robot grain is the only place a lease is granted: it asks its account's dispatcher for the best waiting
    /// job, has the job assign itself to it, and then takes the lease.
    /// </summary>
    [Alias("wake")]
    Task WakeAsync();

    /// <summary>The robot joined or left a group: it forgets the groups it knew and asks for work under the new ones.</summary>
    [Alias("groups-changed")]
    Task GroupsChangedAsync();

    /// <summary>Drops the lease of <paramref name="job"/> if this robot holds it (the job ended or went back to waiting), then looks for work.</summary>
    [Alias("release-lease")]
    Task ReleaseLeaseAsync(Guid job);

    /// <summary>Puts back, ahead of the queue, commands taken by a heartbeat whose robot hung up before the answer.</summary>
    [Alias("return-commands")]
    Task<WriteResult> ReturnCommandsAsync(long accountId, IReadOnlyList<RobotCommand> undelivered);
}
