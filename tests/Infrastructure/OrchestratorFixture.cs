using Orchestrator.Storage;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Orchestrator hosts shared by a collection of HTTP tests. Each test works in an account of its own,
/// made through the API by the administrator, so tests sharing a host never see each other's data.
/// </summary>
/// <param name="purpose">Names the data folder of the embedded wiring.</param>
/// <param name="silos">How many hosts to start on the one store.</param>
public abstract class OrchestratorFixture(DatabaseKind wiring, string purpose, int silos = 1) : IAsyncLifetime
{
    private readonly List<OrchestratorTestHost> _hosts = [];

    /// <summary>The first host; the one tests talk to unless they pick another.</summary>
    public OrchestratorTestHost Host => _hosts[0];

    public IReadOnlyList<OrchestratorTestHost> Hosts => _hosts;

    public ApiClient Admin => Host.Client();

    protected TestStore Store { get; private set; } = null!;

    /// <summary>Creates a fresh account and answers a client that calls with its key.</summary>
    public async Task<ApiClient> NewAccountAsync(OrchestratorTestHost? host = null)
    {
        using var admin = Admin;
        return (host ?? Host).Client(await TenantAccount.CreateAsync(admin));
    }

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(wiring, purpose);
        for (var i = 0; i < silos; i++)
        {
            var settings = Store.HostSettings();
            Configure(settings);
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

        await Store.DisposeAsync();
    }

    /// <summary>Adds what the suite needs to each host's settings, besides the store's.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }
}
