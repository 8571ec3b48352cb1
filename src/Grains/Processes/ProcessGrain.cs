using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Records;
using Orchestrator.Triggers;

namespace Orchestrator.Processes;

/// <inheritdoc cref="IProcessGrain"/>
public sealed class ProcessGrain(ProcessRecords records, ProcessVersionRecords versions, TriggerNotices triggers, OrchestratorClock clock)
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

    public async Task<WriteResult> UpdateAsync(long accountId, ProcessChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var before = Record;
        var result = await SaveAsync(Record with
        {
            Name = change.Name ?? Record.Name,
            Description = change.Description ?? Record.Description,
            MinVersionToRun = change.MinVersionToRun ?? Record.MinVersionToRun,
            ProcessType = change.ProcessType ?? Record.ProcessType,
            Updated = Clock.Now,
        });
        if (result == WriteResult.Done && Record!.MinVersionToRun != before.MinVersionToRun)
        {
            // Its waiting jobs are matched to robots by the process's minimum, not by the one it had when they were made.
            await GrainFactory.GetGrain<IJobDispatcherGrain>(before.AccountId).MinVersionChangedAsync(before.Id, Record.MinVersionToRun);
        }

        return result;
    }

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        var process = Record?.Id ?? 0;
        var result = await base.DeleteAsync(accountId);
        if (result == WriteResult.Done)
        {
            // Its versions go with it (API.md §1: gone from reads and from jobs), each through its own grain, the writer of
            // its row. Should this stop half-way, a version left is still refused to jobs: its process is gone.
            foreach (var version in await versions.OfProcessAsync(process))
            {
                await GrainFactory.GetGrain<IProcessVersionGrain>(version).DeleteAsync(accountId);
            }

            await triggers.VersionsChangedAsync(process);
        }

        return result;
    }

    /// <summary>
    /// Jobs are created against the process's rows, not through this grain, so the jobs table is the judge, in the
    /// delete's own statement: a process with a pending or running job is not deleted (a conflict).
    /// </summary>
    protected override Task<bool> SoftDeleteRowAsync(ProcessRecord record) => records.SoftDeleteUnlessLiveJobsAsync(record.Id, Clock.Now);
}
