using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class AccountGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Replacing_a_key_evicts_the_old_one_from_the_key_cache()
    {
        var cache = fixture.SiloServices.GetRequiredService<ApiKeyCache>();
        var (account, key) = await NewAccountAsync();
        Assert.NotNull(await cache.AuthenticateAsync(key));

        var fresh = ApiKeys.Generate();
        Assert.Equal(WriteResult.Done, await account.ReplaceKeyAsync(ApiKeys.Hash(fresh), ApiKeys.HashOf(key)));

        // Made with the key just replaced: refused.
        Assert.Equal(WriteResult.Conflict, await account.ReplaceKeyAsync(ApiKeys.Hash(ApiKeys.Generate()), ApiKeys.HashOf(key)));

        Assert.Null(await cache.AuthenticateAsync(key));
        Assert.Equal((await account.GetAsync())!.Guid, (await cache.AuthenticateAsync(fresh))!.AccountGuid);
    }

    [Fact]
    public async Task Deleting_an_account_evicts_its_key_from_the_key_cache()
    {
        var cache = fixture.SiloServices.GetRequiredService<ApiKeyCache>();
        var (account, key) = await NewAccountAsync();
        Assert.NotNull(await cache.AuthenticateAsync(key));

        Assert.Equal(WriteResult.Done, await account.DeleteAsync());

        Assert.Null(await cache.AuthenticateAsync(key));
        Assert.Null(await account.GetAsync());
    }

    [Fact]
    public async Task Known_and_unknown_keys_are_answered_from_the_cache_after_the_first_look_up()
    {
        var cache = fixture.SiloServices.GetRequiredService<ApiKeyCache>();
        var database = fixture.SiloServices.GetRequiredService<OrchestratorDatabase>();
        var (_, key) = await NewAccountAsync();
        var unknown = ApiKeys.Generate();
        Assert.NotNull(await cache.AuthenticateAsync(key));
        Assert.Null(await cache.AuthenticateAsync(unknown));

        var before = database.Queries;
        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(await cache.AuthenticateAsync(key));
            Assert.Null(await cache.AuthenticateAsync(unknown));
        }

        Assert.Equal(before, database.Queries);
    }

    [Fact]
    public async Task A_key_rejected_before_it_was_assigned_works_at_once_after()
    {
        var cache = fixture.SiloServices.GetRequiredService<ApiKeyCache>();
        var (account, key) = await NewAccountAsync();
        var chosen = ApiKeys.Generate();
        Assert.Null(await cache.AuthenticateAsync(chosen));

        await account.ReplaceKeyAsync(ApiKeys.Hash(chosen), ApiKeys.HashOf(key));

        Assert.NotNull(await cache.AuthenticateAsync(chosen));
    }

    [Fact]
    public void Passwords_are_stored_as_salted_slow_hashes()
    {
        var first = Passwords.Hash("correct horse");
        var second = Passwords.Hash("correct horse");

        Assert.NotEqual(first, second);
        Assert.StartsWith("pbkdf2-sha256$210000$", first);
        Assert.True(Passwords.Verify("correct horse", first));
        Assert.False(Passwords.Verify("wrong horse", first));
    }

    private async Task<(IAccountGrain Account, string Key)> NewAccountAsync()
    {
        var key = ApiKeys.Generate();
        var account = fixture.Grains.GetGrain<IAccountGrain>(Guid.NewGuid());
        var created = await account.CreateAsync(new AccountDraft(Guid.NewGuid().ToString("N"), Passwords.Hash("p"), ApiKeys.Hash(key), false, new AccountProfile()));
        Assert.Equal(WriteResult.Done, created.Result);
        return (account, key);
    }
}
