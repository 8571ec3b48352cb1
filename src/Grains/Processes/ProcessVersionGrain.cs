using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Hosting;
using Orchestrator.Records;
using Orchestrator.Triggers;

namespace Orchestrator.Processes;

/// <inheritdoc cref="IProcessVersionGrain"/>
public sealed class ProcessVersionGrain(ProcessVersionRecords records, FileBlobs files, TriggerNotices triggers, OrchestratorClock clock)
    : RecordGrain<ProcessVersionRecord>(records, clock), IProcessVersionGrain
{
    public Task<Created> CreateAsync(ProcessVersionDraft draft)
    {
        var now = Clock.Now;
        return InsertAsync(new ProcessVersionRecord(
            0, this.GetPrimaryKey(), draft.AccountId, draft.ProcessId, draft.Name, draft.Description, draft.FileName, draft.File, now, now));
    }

    public Task<ProcessVersionInfo?> GetAsync(long accountId) =>
        Task.FromResult(IsOwnedBy(accountId) ? ProcessVersionRecords.Info(Record) : null);

    public async Task<WriteResult> UpdateAsync(long accountId, ProcessVersionChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        var replaced = change.File is not null ? Record.File : null;
        var movedFrom = change.ProcessId is { } to && to != Record.ProcessId ? Record.ProcessId : (long?)null;
        var result = await SaveAsync(Record with
        {
            Name = change.Name ?? Record.Name,
            Description = change.Description ?? Record.Description,
            ProcessId = change.ProcessId ?? Record.ProcessId,
            FileName = change.FileName ?? Record.FileName,
            File = change.File ?? Record.File,
            Updated = Clock.Now,
        });
        if (result == WriteResult.Done && replaced is not null)
        {
            await files.DeleteAsync(replaced.BlobId);
        }

        if (result == WriteResult.Done && movedFrom is { } from)
        {
            await triggers.VersionsChangedAsync(from);
            await triggers.VersionsChangedAsync(Record.ProcessId);
        }

        return result;
    }

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        // A job that waits for a robot or runs would be handed, or have, a file that is gone (as the process's own
        // delete, the jobs table is the judge: jobs are made against the rows, not through this grain).
        if (await records.HasLiveJobsAsync(Record.ProcessId, Record.Id))
        {
            return WriteResult.Conflict;
        }

        // The delete lets go of the record.
        var process = Record?.ProcessId;
        var result = await base.DeleteAsync(accountId);
        if (result == WriteResult.Done && process is { } deletedFrom)
        {
            await triggers.VersionsChangedAsync(deletedFrom);
        }

        return result;
    }
}
