namespace Orchestrator.Accounts;

/// <summary>Drops API-key hashes from the key cache of every silo in the cluster.</summary>
public interface IApiKeyRevocation
{
    Task RevokeEverywhereAsync(IReadOnlyList<string> keyHashes);
}
