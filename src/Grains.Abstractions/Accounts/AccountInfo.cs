namespace Orchestrator.Accounts;

/// <summary>An account's profile. Never carries a password or a key.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.account-info")]
public sealed record AccountInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] string Login,
    [property: Id(3)] AccountProfile Profile,
    [property: Id(4)] bool IsAdministrator,
    [property: Id(5)] string KeyPrefix,
    [property: Id(6)] DateTimeOffset KeyCreated,
    [property: Id(7)] DateTimeOffset Created,
    [property: Id(8)] DateTimeOffset Updated);
