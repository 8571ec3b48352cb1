using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §14 through real HTTP, on both wirings.</summary>
public abstract class AccountApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task The_administrator_creates_an_account_with_the_vendor_example_and_its_key_works()
    {
        using var admin = fixture.Admin;
        var login = "New Test Account " + Guid.NewGuid().ToString("N")[..6];

        var created = await admin.PostAsync("/api/account/create", $$"""
               {
               "Login": "{{login}}",
               "Password": "newPassword123",
               }
            """);

        var key = created.GetProperty("key").GetString()!;
        Assert.True(key.Length >= 32);
        Assert.Equal(created.GetProperty("guid").GetGuid(), created.GetProperty("GUID").GetGuid());
        using var account = fixture.Host.Client(key);
        var inUse = await account.GetAsync("/api/key");
        Assert.Equal(login, inUse.GetProperty("login").GetString());
        Assert.Equal(key[..8], inUse.GetProperty("key_prefix").GetString());
    }

    [Fact]
    public async Task Read_answers_the_profile_and_never_a_password_or_key()
    {
        using var admin = fixture.Admin;
        var login = "reader-" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.PostAsync("/api/account/create", $$"""
            {"Login": "{{login}}", "Password": "secret-password", "FirstName": "Vasya", "LastName": "Ivanov", "Email": "v@example.com",
             "Phone": "+7 900", "Company": "ACME", "Department": "RPA"}
            """);
        var guid = created.GetProperty("guid").GetGuid();

        var account = await admin.GetAsync($"/api/account/read/{guid}");

        Assert.Equal(guid, account.GetProperty("guid").GetGuid());
        Assert.Equal(login, account.GetProperty("login").GetString());
        Assert.Equal("Vasya", account.GetProperty("first_name").GetString());
        Assert.Equal("Ivanov", account.GetProperty("last_name").GetString());
        Assert.Equal("RPA", account.GetProperty("department").GetString());
        var names = account.EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.DoesNotContain(names, n => n.Contains("password") || n.Contains("key") || n.Contains(' '));
        Assert.DoesNotContain("secret-password", account.GetRawText());
    }

    [Fact]
    public async Task Update_with_the_vendor_example_changes_the_login()
    {
        using var admin = fixture.Admin;
        var guid = (await admin.PostAsync("/api/account/create", $$"""{"Login": "{{Guid.NewGuid()}}", "Password": "p"}""")).GetProperty("guid").GetGuid();
        var login = "Test Account " + Guid.NewGuid().ToString("N")[..6];

        await admin.PutAsync("/api/account/update", $$"""
               {
               "Guid": "{{guid}}", 
               "Login": "{{login}}",
               }
            """);

        Assert.Equal(login, (await admin.GetAsync($"/api/account/read/{guid}")).GetProperty("login").GetString());
    }

    [Fact]
    public async Task A_duplicate_login_is_a_conflict()
    {
        using var admin = fixture.Admin;
        var login = "twin-" + Guid.NewGuid().ToString("N")[..6];
        await admin.PostAsync("/api/account/create", $$"""{"Login": "{{login}}", "Password": "p"}""");

        var problem = await admin.PostAsync("/api/account/create", $$"""{"Login": "{{login}}", "Password": "p"}""", HttpStatusCode.Conflict);

        Assert.Equal("Login", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Only_administrators_manage_other_accounts()
    {
        using var tenant = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        var own = (await tenant.GetAsync("/api/key")).GetProperty("login").GetString();
        using var admin = fixture.Admin;
        var accounts = (await admin.GetAsync("/api/account/list")).EnumerateArray().ToList();
        var ownGuid = accounts.Single(a => a.GetProperty("login").GetString() == own).GetProperty("guid").GetGuid();
        var otherLogin = (await other.GetAsync("/api/key")).GetProperty("login").GetString();
        var otherGuid = accounts.Single(a => a.GetProperty("login").GetString() == otherLogin).GetProperty("guid").GetGuid();

        await tenant.PostAsync("/api/account/create", """{"Login": "x", "Password": "y"}""", HttpStatusCode.Forbidden);
        await tenant.GetAsync("/api/account/list", HttpStatusCode.Forbidden);
        await tenant.DeleteAsync($"/api/account/delete/{otherGuid}", expected: HttpStatusCode.Forbidden);
        await tenant.GetAsync($"/api/account/read/{otherGuid}", HttpStatusCode.NotFound);
        await tenant.PutAsync("/api/account/update", $$"""{"Guid": "{{otherGuid}}", "FirstName": "hijack"}""", HttpStatusCode.NotFound);

        // §1: another account's GUID is a 404, never a 403, whatever the body changes (the login among them).
        await tenant.PutAsync("/api/account/update", $$"""{"Guid": "{{otherGuid}}", "Login": "hijacked-{{Guid.NewGuid():N}}"}""", HttpStatusCode.NotFound);
        Assert.Equal(otherLogin, (await admin.GetAsync($"/api/account/read/{otherGuid}")).GetProperty("login").GetString());

        await tenant.PutAsync("/api/account/update", $$"""{"Guid": "{{ownGuid}}", "FirstName": "Me"}""");
        Assert.Equal("Me", (await tenant.GetAsync($"/api/account/read/{ownGuid}")).GetProperty("first_name").GetString());
        Assert.Null((await admin.GetAsync($"/api/account/read/{otherGuid}")).GetProperty("first_name").GetString());
    }

    [Fact]
    public async Task An_account_changes_its_own_login_and_a_taken_login_is_a_conflict()
    {
        using var tenant = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        var own = await OwnGuidAsync(tenant);
        var taken = (await other.GetAsync("/api/key")).GetProperty("login").GetString();
        var renamed = "renamed-" + Guid.NewGuid().ToString("N")[..8];

        await tenant.PutAsync("/api/account/update", $$"""{"Guid": "{{own}}", "Login": "{{renamed}}"}""");

        Assert.Equal(renamed, (await tenant.GetAsync("/api/key")).GetProperty("login").GetString());
        Assert.Equal(renamed, (await tenant.GetAsync($"/api/account/read/{own}")).GetProperty("login").GetString());
        var problem = await tenant.PutAsync("/api/account/update", $$"""{"Guid": "{{own}}", "Login": "{{taken}}"}""", HttpStatusCode.Conflict);
        Assert.Equal("Login", problem.GetProperty("field").GetString());
        Assert.Equal(renamed, (await tenant.GetAsync("/api/key")).GetProperty("login").GetString());
    }

    [Fact]
    public async Task Read_and_list_tell_administrators_apart_with_is_admin()
    {
        using var tenant = await fixture.NewAccountAsync();
        var own = await OwnGuidAsync(tenant);
        using var admin = fixture.Admin;

        Assert.False((await tenant.GetAsync($"/api/account/read/{own}")).GetProperty("is_admin").GetBoolean());
        var list = (await admin.GetAsync("/api/account/list")).EnumerateArray().ToList();
        Assert.True(list.Single(a => a.GetProperty("login").GetString() == "admin").GetProperty("is_admin").GetBoolean());
        Assert.False(list.Single(a => a.GetProperty("guid").GetGuid() == own).GetProperty("is_admin").GetBoolean());
    }

    [Fact]
    public async Task Deleting_an_account_stops_its_key_at_once()
    {
        using var tenant = await fixture.NewAccountAsync();
        var login = (await tenant.GetAsync("/api/key")).GetProperty("login").GetString();
        using var admin = fixture.Admin;
        var guid = (await admin.GetAsync("/api/account/list")).EnumerateArray().Single(a => a.GetProperty("login").GetString() == login).GetProperty("guid").GetGuid();

        await admin.DeleteAsync($"/api/account/delete/{guid}");

        await tenant.GetAsync("/api/key", HttpStatusCode.Unauthorized);
        await admin.GetAsync($"/api/account/read/{guid}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Refreshing_the_key_answers_a_new_one_and_stops_the_old_one_at_once()
    {
        using var tenant = await fixture.NewAccountAsync();
        await tenant.GetAsync("/api/key");

        var fresh = (await tenant.PostAsync("/api/key/refresh", "")).GetProperty("key").GetString()!;

        Assert.NotEqual(tenant.Key, fresh);
        await tenant.GetAsync("/api/key", HttpStatusCode.Unauthorized);
        using var renewed = fixture.Host.Client(fresh);
        await renewed.GetAsync("/api/key");
    }

    [Fact]
    public async Task Assigning_a_key_replaces_the_old_one_and_refuses_short_keys()
    {
        using var tenant = await fixture.NewAccountAsync();
        var chosen = "my-own-key-" + Guid.NewGuid().ToString("N");

        var problem = await tenant.PutAsync("/api/key", """{"Key": "too-short"}""", HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "Key");
        await tenant.PutAsync("/api/key", $$"""{"Key": "{{chosen}}",}""");

        await tenant.GetAsync("/api/key", HttpStatusCode.Unauthorized);
        using var renewed = fixture.Host.Client(chosen);
        Assert.Equal(chosen[..8], (await renewed.GetAsync("/api/key")).GetProperty("key_prefix").GetString());
    }

    [Fact]
    public async Task A_missing_or_unknown_key_is_unauthorized()
    {
        using var anonymous = new ApiClient(fixture.Host.Address, null);
        using var stranger = fixture.Host.Client("not-a-key-of-anyone-0000000000000000000");

        var problem = await anonymous.GetAsync("/api/robot/read", HttpStatusCode.Unauthorized);
        await stranger.GetAsync("/api/robot/read", HttpStatusCode.Unauthorized);

        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_administrator_cannot_delete_its_own_account()
    {
        using var admin = fixture.Admin;
        var guid = (await admin.GetAsync("/api/account/list")).EnumerateArray().Single(a => a.GetProperty("login").GetString() == "admin").GetProperty("guid").GetGuid();

        await admin.DeleteAsync($"/api/account/delete/{guid}", expected: HttpStatusCode.Conflict);

        await admin.GetAsync("/api/key");
    }

    private async Task<Guid> OwnGuidAsync(ApiClient account)
    {
        var login = (await account.GetAsync("/api/key")).GetProperty("login").GetString();
        using var admin = fixture.Admin;
        return (await admin.GetAsync("/api/account/list")).EnumerateArray().Single(a => a.GetProperty("login").GetString() == login).GetProperty("guid").GetGuid();
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedAccountApiTests(EmbeddedFixture fixture) : AccountApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountApiTests(PostgresFixture fixture) : AccountApiTests(fixture);
