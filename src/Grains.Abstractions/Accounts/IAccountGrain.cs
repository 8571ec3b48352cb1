using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Accounts;

/// <summary>
/// One account (tenant): the only writer of its record. Keyed by the account's GUID. A change of key or a
/// delete evicts the old key from the key cache of every silo before the call returns.
/// </summary>
[Alias("orchestrator.account")]
public interface IAccountGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(AccountDraft draft);

    [Alias("get"), ReadOnly]
    Task<AccountInfo?> GetAsync();

    [Alias("update")]
    Task<WriteResult> UpdateAsync(AccountChange change);

    [Alias("delete")]
    Task<WriteResult> DeleteAsync();

    /// <summary>
    /// Replaces the account's API key, if it is still the one whose hash is <paramref name="replacing"/> (the key the
    /// request was made with; <see cref="WriteResult.Conflict"/> when another replacement came first); the old one
    /// stops working on every silo before this returns.
    /// </summary>
    [Alias("replace-key")]
    Task<WriteResult> ReplaceKeyAsync(ApiKeyHash key, string replacing);
}
