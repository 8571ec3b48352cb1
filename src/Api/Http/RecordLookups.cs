using Orchestrator.Accounts;
using Orchestrator.Records;

namespace Orchestrator.Api.Http;

/// <summary>
/// Resolving references (API.md §1: a GUID or a numeric id, within the caller's account) to records of a kind that
/// has no grain, whose table the API queries directly (storage folders and files); <see cref="Resource{TGrain}"/> does
/// the same for kinds with one.
/// </summary>
public static class RecordLookups
{
    /// <summary>A GUID is passed through (the query that uses it checks the account); a numeric id is looked up in the account.</summary>
    public static ValueTask<Resolution<Guid>> ResolveAsync(this IRecordLookup lookup, Caller caller, string? reference, string field, string kind) =>
        References.ResolveAsync(reference, field, kind, (lookup, caller.AccountId), static (state, id) => state.lookup.FindGuidAsync(state.AccountId, id));

    /// <summary>The numeric id of a live record of the caller's account; a 404 naming <paramref name="kind"/> otherwise.</summary>
    public static async Task<Resolution<long>> ResolveIdAsync(this IRecordLookup lookup, Caller caller, string? reference, string field, string kind)
    {
        var resolved = await lookup.ResolveAsync(caller, reference, field, kind);
        if (resolved.Problem is not null)
        {
            return Resolution<long>.Fail(resolved.Problem);
        }

        return await lookup.FindIdAsync(caller.AccountId, resolved.Value) is { } id
            ? Resolution<long>.Found(id)
            : Resolution<long>.Fail(Problems.NotFound(kind));
    }
}
