using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// One orchestrator on either wiring whose clock the tests move, and that a test may stop and start again on the same
/// database with the clock moved meanwhile. A suite adds the settings it needs in <see cref="Configure"/>; a sealed
/// subclass per wiring is its class fixture.
/// </summary>
public abstract class ClockHost(DatabaseKind wiring) : IAsyncLifetime
{
    /// <summary>A Sunday, in winter time in Europe (UTC+1).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private TestStore _store = null!;
    private Dictionary<string, string?> _settings = null!;

    public FakeTimeProvider Time { get; } = new(Start);

    public OrchestratorTestHost Host { get; private set; } = null!;

    /// <summary>Creates a fresh account and answers a client that calls with its key.</summary>
    public async Task<ApiClient> NewAccountAsync()
    {
        using var admin = Host.Client();
        return Host.Client(await TenantAccount.CreateAsync(admin));
    }

    /// <summary>Stops the orchestrator, lets <paramref name="downtime"/> pass on its clock, and starts it again on the same database.</summary>
    /// <param name="whileDown">Runs on the database while no silo does.</param>
    public async Task RestartAsync(TimeSpan downtime, Func<OrchestratorDatabase, Task>? whileDown = null)
    {
        await Host.DisposeAsync();
        Time.Advance(downtime);
        if (whileDown is not null)
        {
            await using var database = Database();
            await whileDown(database);
        }

        Host = await StartHostAsync();
    }

    /// <summary>A connection of the test's own to the orchestrator's database.</summary>
    public OrchestratorDatabase Database() => _store.Database();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(wiring, "clock");
        _settings = _store.HostSettings();
        Configure(_settings);
        Host = await StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>Adds the settings the suite needs to those of the wiring.</summary>
    protected abstract void Configure(Dictionary<string, string?> settings);

    private Task<OrchestratorTestHost> StartHostAsync() =>
        OrchestratorTestHost.StartAsync(_settings, services => services.AddSingleton(new OrchestratorClock(Time)));
}
