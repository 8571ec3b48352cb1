namespace Orchestrator.Accounts;

/// <summary>The account an API key belongs to: who is calling, and whether they may manage accounts.</summary>
public sealed record Caller(long AccountId, Guid AccountGuid, string Login, bool IsAdministrator);
