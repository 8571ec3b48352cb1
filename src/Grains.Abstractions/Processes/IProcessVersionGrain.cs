using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Processes;

/// <summary>
/// One process version: the only writer of its record. Its file's bytes are bulk data in the database, never
/// in this grain: it holds only the reference to them. Keyed by the version's GUID.
/// </summary>
[Alias("orchestrator.process-version")]
public interface IProcessVersionGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(ProcessVersionDraft draft);

    [Alias("get"), ReadOnly]
    Task<ProcessVersionInfo?> GetAsync(long accountId);

    /// <summary>Applies the change; a replaced file's bytes are removed once the record no longer refers to them.</summary>
    [Alias("update")]
    Task<WriteResult> UpdateAsync(long accountId, ProcessVersionChange change);

    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);
}
