using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Records;
using Orchestrator.Triggers;

namespace Orchestrator.Processes;

/// <inheritdoc cref="IProcessGrain"/>
public sealed class ProcessGrain(ProcessRecords records, TriggerNotices triggers, OrchestratorClock clock)
    : RecordGrain<ProcessRecord>(records, clock), IProcessGrain
{
    public Task<Created> CreateAsync(ProcessDraft draft)
    {
        var now = Clock.Now;
        return InsertAsync(new ProcessRecord(
            0, this.GetPrimaryKey(), draft.AccountId, draft.Name, draft.Description, draft.MinVersionToRun, draft.ProcessType, now, now));
    }

    public async Task<ProcessInfo?> GetAsync(long accountId) =>
        IsOwnedBy(accountId) ? ProcessRecords.Info(Record, await records.LatestVersionAsync(Record.Id)) : null;

    public Task<WriteResult> UpdateAsync(long accountId, ProcessChange change) =>
        IsOwnedBy(accountId)
            ? SaveAsync(Record with
            {
                Name = change.Name ?? Record.Name,
                Description = change.Description ?? Record.Description,
                MinVersionToRun = change.MinVersionToRun ?? Record.MinVersionToRun,
                ProcessType = change.ProcessType ?? Record.ProcessType,
                Updated = Clock.Now,
            })
            : Task.FromResult(WriteResult.NotFound);

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        // Jobs are created against the process's rows, not through this grain, so the jobs table is the judge.
        if (await records.HasLiveJobsAsync(Record.Id))
        {
            return WriteResult.Conflict;
        }

        // The delete lets go of the record.
        var process = Record.Id;
        var result = await base.DeleteAsync(accountId);
        if (result == WriteResult.Done)
        {
            await triggers.VersionsChangedAsync(process);
        }

        return result;
    }
}
