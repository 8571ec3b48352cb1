namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Orchestrator hosts shared by a collection of HTTP tests. Each test works in an account of its own,
/// made through the API by the administrator, so tests sharing a host never see each other's data.
/// </summary>
public abstract class OrchestratorFixture : IAsyncLifetime
{
    private readonly List<OrchestratorTestHost> _hosts = [];

    /// <summary>The first host; the one tests talk to unless they pick another.</summary>
    public OrchestratorTestHost Host => _hosts[0];

    public IReadOnlyList<OrchestratorTestHost> Hosts => _hosts;

    public ApiClient Admin => Host.Client();

    /// <summary>Creates a fresh account and answers a client that calls with its key.</summary>
    public async Task<ApiClient> NewAccountAsync(OrchestratorTestHost? host = null)
    {
        using var admin = Admin;
        return (host ?? Host).Client(await TenantAccount.CreateAsync(admin));
    }

    public async Task InitializeAsync()
    {
        foreach (var settings in await HostSettingsAsync())
        {
            _hosts.Add(await OrchestratorTestHost.StartAsync(settings));
        }
    }

    public async Task DisposeAsync()
    {
        // Silos stop before the database they depend on goes away.
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }

        await AfterHostsStoppedAsync();
    }

    /// <summary>Configuration for each host to start, in order.</summary>
    protected abstract Task<IReadOnlyList<Dictionary<string, string?>>> HostSettingsAsync();

    protected virtual Task AfterHostsStoppedAsync() => Task.CompletedTask;
}
