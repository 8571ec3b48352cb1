using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>A tenant's account, made by the administrator through the API the way every test that needs one makes it.</summary>
public static class TenantAccount
{
    /// <summary>
    /// Creates an account with <paramref name="admin"/> and answers its API key. Without a login it gets a fresh one,
    /// so that tests sharing a host never meet.
    /// </summary>
    public static async Task<string> CreateAsync(ApiClient admin, string? login = null, string password = "pa55word!", string? company = null)
    {
        var account = new JsonObject { ["Login"] = login ?? "tenant-" + Guid.NewGuid().ToString("N")[..10], ["Password"] = password };
        if (company is not null)
        {
            account["Company"] = company;
        }

        return (await admin.PostAsync("/api/account/create", account.ToJsonString())).GetProperty("key").GetString()!;
    }

    /// <summary>The numeric id of <paramref name="tenant"/>'s account, as a folder made for the purpose (and deleted) shows it.</summary>
    public static async Task<long> IdAsync(ApiClient tenant)
    {
        var probe = await FileScenario.CreateFolderAsync(tenant, "probe-" + Guid.NewGuid().ToString("N"));
        var id = (await tenant.GetAsync($"/api/folders/read/{probe}")).GetProperty("account_id").GetInt64();
        await tenant.DeleteAsync($"/api/folders/delete/{probe}");
        return id;
    }
}
