namespace Orchestrator.Records;

/// <summary>The id↔GUID look-ups of one record kind within one account, live records only.</summary>
public interface IRecordLookup
{
    Task<Guid?> FindGuidAsync(long accountId, long id);

    Task<long?> FindIdAsync(long accountId, Guid guid);
}
