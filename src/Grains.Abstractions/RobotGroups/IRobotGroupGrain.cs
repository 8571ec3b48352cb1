using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.RobotGroups;

/// <summary>
/// One robot group: the only writer of its record and its membership rows. Keyed by the group's GUID;
/// a group of another account answers as if it did not exist.
/// </summary>
[Alias("orchestrator.robot-group")]
public interface IRobotGroupGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(RobotGroupDraft draft);

    [Alias("get"), ReadOnly]
    Task<RobotGroupInfo?> GetAsync(long accountId);

    [Alias("update")]
    Task<WriteResult> UpdateAsync(long accountId, string? name, string? description);

    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);

    /// <summary>Adds a robot (by numeric id, already checked to be the caller's); adding a member again changes nothing.</summary>
    [Alias("add-robot")]
    Task<WriteResult> AddRobotAsync(long accountId, long robotId);

    [Alias("remove-robot")]
    Task<WriteResult> RemoveRobotAsync(long accountId, long robotId);
}
