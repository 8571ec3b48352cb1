using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Processes;

/// <summary>
/// One process: the only writer of its record. Keyed by the process's GUID; a process of another account
/// answers as if it did not exist.
/// </summary>
[Alias("orchestrator.process")]
public interface IProcessGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(ProcessDraft draft);

    [Alias("get"), ReadOnly]
    Task<ProcessInfo?> GetAsync(long accountId);

    [Alias("update")]
    Task<WriteResult> UpdateAsync(long accountId, ProcessChange change);

    /// <summary>Soft-deletes the process; <see cref="WriteResult.Conflict"/> while one of its jobs is pending or running.</summary>
    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);
}
