using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.RobotGroups;

/// <inheritdoc cref="IRobotGroupGrain"/>
public sealed class RobotGroupGrain(RobotGroupRecords records, OrchestratorClock clock) : Grain, IRobotGroupGrain
{
    private RobotGroupRecord? _record;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _record = await records.FindAsync(this.GetPrimaryKey());

    public async Task<Created> CreateAsync(RobotGroupDraft draft)
    {
        if (_record is not null)
        {
            return new Created(WriteResult.Conflict, 0);
        }

        var now = clock.Now;
        var group = new RobotGroupRecord(0, this.GetPrimaryKey(), draft.AccountId, draft.Name, draft.Description, now, now);
        try
        {
            var id = await records.InsertAsync(group);
            _record = group with { Id = id };
            return new Created(WriteResult.Done, id);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return new Created(WriteResult.NameTaken, 0);
        }
    }

    public async Task<RobotGroupInfo?> GetAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return null;
        }

        var robots = await records.MemberGuidsAsync(_record.Id);
        return new RobotGroupInfo(_record.Id, _record.Guid, _record.AccountId, _record.Name, _record.Description, _record.Created, _record.Updated, robots);
    }

    public async Task<WriteResult> UpdateAsync(long accountId, string? name, string? description)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var group = _record with { Name = name ?? _record.Name, Description = description ?? _record.Description, Updated = clock.Now };
        try
        {
            await records.UpdateAsync(group);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return WriteResult.NameTaken;
        }

        _record = group;
        return WriteResult.Done;
    }

    public async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        await records.SoftDeleteAsync(_record.Id, clock.Now);
        _record = null;
        DeactivateOnIdle();
        return WriteResult.Done;
    }

    public async Task<WriteResult> AddRobotAsync(long accountId, long robotId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        await records.AddMemberAsync(_record.Id, robotId);
        return WriteResult.Done;
    }

    public async Task<WriteResult> RemoveRobotAsync(long accountId, long robotId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        await records.RemoveMemberAsync(_record.Id, robotId);
        return WriteResult.Done;
    }

    [MemberNotNullWhen(true, nameof(_record))]
    private bool IsOwnedBy(long accountId)
    {
        if (_record is null)
        {
            // Woken for a GUID that names no robot group: do not linger in memory for it.
            DeactivateOnIdle();
            return false;
        }

        return _record.AccountId == accountId;
    }
}
