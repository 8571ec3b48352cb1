using Orchestrator.Assets;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Records;
using Orchestrator.Robots;
using Orchestrator.Triggers;

namespace Orchestrator.RobotGroups;

/// <inheritdoc cref="IRobotGroupGrain"/>
public sealed class RobotGroupGrain(RobotGroupRecords records, RobotRecords robots, AimedJobs aimedJobs, TriggerNotices triggers, OrchestratorClock clock)
    : RecordGrain<RobotGroupRecord>(records, clock), IRobotGroupGrain
{
    public Task<Created> CreateAsync(RobotGroupDraft draft)
    {
        var now = Clock.Now;
        return InsertAsync(new RobotGroupRecord(0, this.GetPrimaryKey(), draft.AccountId, draft.Name, draft.Description, now, now));
    }

    public async Task<RobotGroupInfo?> GetAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return null;
        }

        var robots = await records.MemberGuidsAsync(Record.Id);
        return new RobotGroupInfo(Record.Id, Record.Guid, Record.AccountId, Record.Name, Record.Description, Record.Created, Record.Updated, robots);
    }

    public Task<WriteResult> UpdateAsync(long accountId, string? name, string? description) =>
        IsOwnedBy(accountId)
            ? SaveAsync(Record with { Name = name ?? Record.Name, Description = description ?? Record.Description, Updated = Clock.Now })
            : Task.FromResult(WriteResult.NotFound);

    public async Task<WriteResult> AddRobotAsync(long accountId, long robotId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        await records.AddMemberAsync(Record.Id, robotId);
        await ForgetMembership(accountId, robotId);
        await TellMemberAsync(accountId, robotId);
        return WriteResult.Done;
    }

    public async Task<WriteResult> RemoveRobotAsync(long accountId, long robotId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        await records.RemoveMemberAsync(Record.Id, robotId);
        await ForgetMembership(accountId, robotId);
        await TellMemberAsync(accountId, robotId);
        return WriteResult.Done;
    }

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        var groupId = Record?.Id ?? 0;
        var members = IsOwnedBy(accountId) ? await records.MemberGuidsAsync(groupId) : [];
        var result = await base.DeleteAsync(accountId);
        if (result == WriteResult.Done)
        {
            // Its members no longer see what it made visible to them, nor take its jobs.
            await GrainFactory.GetGrain<IAccountAssetsGrain>(accountId).ForgetGroupAsync(groupId);
            foreach (var robot in members)
            {
                await GrainFactory.GetGrain<IRobotGrain>(robot).GroupsChangedAsync();
            }

            await triggers.TargetDeletedAsync(null, groupId);
            await aimedJobs.CancelForDeletedGroupAsync(accountId, groupId);
        }

        return result;
    }

    /// <summary>Tells the account's by-name asset reads that the robot's groups changed, once the row has the change.</summary>
    private Task ForgetMembership(long accountId, long robotId) =>
        GrainFactory.GetGrain<IAccountAssetsGrain>(accountId).ForgetRobotAsync(robotId);

    /// <summary>
    /// A robot keeps its group list in memory: it has dropped it when the change is answered, and then asks for work
    /// under its new groups (a new member may take the group's waiting jobs at once).
    /// </summary>
    private async Task TellMemberAsync(long accountId, long robotId)
    {
        if (await robots.FindGuidAsync(accountId, robotId) is { } robot)
        {
            await GrainFactory.GetGrain<IRobotGrain>(robot).GroupsChangedAsync();
        }
    }
}
