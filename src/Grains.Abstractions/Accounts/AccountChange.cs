namespace Orchestrator.Accounts;

/// <summary>A partial update of an account: null members are left as they are.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.account-change")]
public sealed record AccountChange(
    [property: Id(0)] string? Login,
    [property: Id(1)] string? PasswordHash,
    [property: Id(2)] AccountProfile Profile);
