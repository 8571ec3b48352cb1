namespace Orchestrator.Accounts;

/// <summary>The descriptive fields of an account; in a change, null members are left as they are.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.account-profile")]
public sealed record AccountProfile(
    [property: Id(0)] string? FirstName = null,
    [property: Id(1)] string? LastName = null,
    [property: Id(2)] string? Email = null,
    [property: Id(3)] string? Phone = null,
    [property: Id(4)] string? Company = null,
    [property: Id(5)] string? Department = null);
