namespace Orchestrator.Accounts;

/// <summary>A new account, with its password and API key already hashed by the caller.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.account-draft")]
public sealed record AccountDraft(
    [property: Id(0)] string Login,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] ApiKeyHash Key,
    [property: Id(3)] bool IsAdministrator,
    [property: Id(4)] AccountProfile Profile);
