using Orchestrator.Accounts;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Views;

/// <summary>An account as /api/account/read answers it: never a password or a key.</summary>
public sealed record AccountView(
    long id,
    Guid guid,
    string login,
    string? first_name,
    string? last_name,
    string? email,
    string? phone,
    string? company,
    string? department,
    bool is_admin,
    string created,
    string updated)
{
    public static AccountView From(AccountInfo a) => new(
        a.Id, a.Guid, a.Login, a.Profile.FirstName, a.Profile.LastName, a.Profile.Email, a.Profile.Phone, a.Profile.Company,
        a.Profile.Department, a.IsAdministrator, JsonFormats.Timestamp(a.Created), JsonFormats.Timestamp(a.Updated));

    public static AccountView From(AccountRecord a) => From(
        new AccountInfo(a.Id, a.Guid, a.Login, a.Profile, a.IsAdministrator, a.KeyPrefix, a.KeyCreated, a.Created, a.Updated));
}
