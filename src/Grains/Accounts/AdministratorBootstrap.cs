using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Common;
using Orchestrator.Hosting;

namespace Orchestrator.Accounts;

/// <summary>
/// On the first start of an empty database, creates the administrator account, whose key is
/// <c>Orchestrator:AdminKey</c> when set and otherwise generated and printed once.
/// </summary>
public sealed class AdministratorBootstrap(
    AccountRecords records,
    IGrainFactory grains,
    IOptions<OrchestratorOptions> options,
    ILogger<AdministratorBootstrap> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public const string Login = "admin";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AdministratorBootstrap), ServiceLifecycleStage.Active, CreateIfEmpty);

    private async Task CreateIfEmpty(CancellationToken cancellationToken)
    {
        if (await records.AnyAsync())
        {
            return;
        }

        var configured = options.Value.AdminKey;
        var key = string.IsNullOrEmpty(configured) ? ApiKeys.Generate() : configured;
        var draft = new AccountDraft(Login, Passwords.Hash(ApiKeys.Generate()), ApiKeys.Hash(key), IsAdministrator: true, new AccountProfile());
        var created = await grains.GetGrain<IAccountGrain>(Guid.NewGuid()).CreateAsync(draft);
        if (created.Result != WriteResult.Done)
        {
            // Another silo starting against the same empty database created it first.
            return;
        }

        if (string.IsNullOrEmpty(configured))
        {
            // Printed once, here, and never stored: only its hash is.
            Console.WriteLine($"Administrator account '{Login}' created. Its API key (shown once): {key}");
        }

        logger.LogInformation("Created the administrator account '{Login}'", Login);
    }
}
