using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Accounts;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Common;

namespace Orchestrator.Api.Apis;

/// <summary>
/// API.md §14: accounts. Administrators manage every account; any account may read and update itself.
/// Another account's GUID is a 404 for a non-administrator, as for every other entity.
/// </summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/account").WithTags("Accounts");
        api.MapPost("/create", Create).WithName("CreateAccount").WithSummary("Create an account (administrators); answers its API key once").WithJsonBody<AccountCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadAccount").WithSummary("Read an account").Produces<AccountView>();
        api.MapGet("/list", List).WithName("ListAccounts").WithSummary("List accounts (administrators; optional skip, take)").Produces<AccountView[]>();
        api.MapPut("/update", Update).WithName("UpdateAccount").WithSummary("Update an account").WithJsonBody<AccountUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteAccount").WithSummary("Delete an account (administrators); its key stops working at once");
        return api;
    }

    public static async Task<IResult> Create(HttpRequest request, IGrainFactory grains)
    {
        if (!request.HttpContext.Caller().IsAdministrator)
        {
            return Problems.Forbidden("Only administrators create accounts.");
        }

        var body = await RequestBody.ReadAsync<AccountCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if ((Validation.Name(r.Login, "Login") ?? Validation.Required(r.Password, "Password") ?? Validation.Text(r.Password, "Password") ?? ValidateProfile(r)) is { } invalid)
        {
            return invalid;
        }

        var guid = Guid.NewGuid();
        var key = ApiKeys.Generate();
        var draft = new AccountDraft(r.Login!.Trim(), Passwords.Hash(r.Password!), ApiKeys.Hash(key), IsAdministrator: false, ProfileOf(r));
        var created = await grains.GetGrain<IAccountGrain>(guid).CreateAsync(draft);
        return created.Result == WriteResult.Done
            ? TypedResults.Json(CreatedView.Of(guid, created.Id, ("key", key)))
            : Answer(created.Result);
    }

    public static async Task<IResult> Read(string guid, HttpContext http, IGrainFactory grains, AccountRecords accounts)
    {
        var account = await ResolveVisible(http.Caller(), guid, "guid", accounts);
        if (account.Problem is not null)
        {
            return account.Problem;
        }

        var info = await grains.GetGrain<IAccountGrain>(account.Value).GetAsync();
        return info is null ? Problems.NotFound("Account") : TypedResults.Json(AccountView.From(info));
    }

    public static async Task<IResult> List(HttpRequest request, AccountRecords accounts)
    {
        if (!request.HttpContext.Caller().IsAdministrator)
        {
            return Problems.Forbidden("Only administrators list accounts.");
        }

        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        var rows = await accounts.ListAsync(paging.Skip, paging.Take);
        return TypedResults.Json(rows.Select(AccountView.From));
    }

    public static async Task<IResult> Update(HttpRequest request, IGrainFactory grains, AccountRecords accounts)
    {
        var body = await RequestBody.ReadAsync<AccountUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        if (((r.Login is null ? null : Validation.Name(r.Login, "Login")) ?? (r.Password is null ? null : Validation.Required(r.Password, "Password") ?? Validation.Text(r.Password, "Password")) ?? ValidateProfile(r)) is { } invalid)
        {
            return invalid;
        }

        // Any account may change its own login (API.md §14 reserves only other accounts for administrators);
        // another account's reference is a 404 whatever the body holds.
        var account = await ResolveVisible(request.HttpContext.Caller(), r.Guid, "Guid", accounts);
        if (account.Problem is not null)
        {
            return account.Problem;
        }

        var change = new AccountChange(r.Login?.Trim(), r.Password is null ? null : Passwords.Hash(r.Password), ProfileOf(r));
        return Answer(await grains.GetGrain<IAccountGrain>(account.Value).UpdateAsync(change));
    }

    public static async Task<IResult> Delete(string guid, HttpContext http, IGrainFactory grains, AccountRecords accounts)
    {
        var caller = http.Caller();
        if (!caller.IsAdministrator)
        {
            return Problems.Forbidden("Only administrators delete accounts.");
        }

        var account = await ResolveVisible(caller, guid, "guid", accounts);
        if (account.Problem is not null)
        {
            return account.Problem;
        }

        if (account.Value == caller.AccountGuid)
        {
            // An administrator deleting itself could leave the orchestrator with no one to manage it.
            return Problems.Conflict("guid", "An administrator cannot delete its own account.");
        }

        return Answer(await grains.GetGrain<IAccountGrain>(account.Value).DeleteAsync());
    }

    /// <summary>An account reference the caller may see: any for an administrator, only its own otherwise.</summary>
    private static async Task<Resolution<Guid>> ResolveVisible(Caller caller, string? reference, string field, AccountRecords accounts)
    {
        var account = await References.ResolveAsync(reference, field, "Account", accounts.FindGuidAsync);
        if (account.Problem is null && !caller.IsAdministrator && account.Value != caller.AccountGuid)
        {
            return Resolution<Guid>.Fail(Problems.NotFound("Account"));
        }

        return account;
    }

    private static IResult? ValidateProfile(AccountCreateRequest r) =>
        Validation.Line(r.FirstName, "FirstName") ?? Validation.Line(r.LastName, "LastName") ?? Validation.Line(r.Email, "Email")
        ?? Validation.Line(r.Phone, "Phone") ?? Validation.Line(r.Company, "Company") ?? Validation.Line(r.Department, "Department");

    private static AccountProfile ProfileOf(AccountCreateRequest r) =>
        new(r.FirstName, r.LastName, r.Email, r.Phone, r.Company, r.Department);

    private static IResult Answer(WriteResult result) => result switch
    {
        WriteResult.Done => Empty.Ok,
        WriteResult.NameTaken => Problems.Conflict("Login", "An account with this login already exists."),
        _ => Problems.NotFound("Account"),
    };
}
