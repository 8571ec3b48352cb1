using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Hosting;
using Orchestrator.Records;

namespace Orchestrator.Processes;

/// <inheritdoc cref="IProcessVersionGrain"/>
public sealed class ProcessVersionGrain(ProcessVersionRecords records, FileBlobs files, OrchestratorClock clock)
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

        return result;
    }
}
