namespace Orchestrator.Accounts;

/// <summary>A row of the <c>accounts</c> table.</summary>
public sealed record AccountRecord(
    long Id,
    Guid Guid,
    string Login,
    string PasswordHash,
    string KeyHash,
    string KeyPrefix,
    DateTimeOffset KeyCreated,
    bool IsAdministrator,
    AccountProfile Profile,
    DateTimeOffset Created,
    DateTimeOffset Updated);
