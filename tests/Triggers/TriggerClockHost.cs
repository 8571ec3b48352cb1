using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Hosting;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Triggers;

/// <summary>
/// One orchestrator whose clock the tests move, and that a test may stop and start again on the same database
/// with the clock moved meanwhile (missed occurrences). Triggers' timers read the clock every 50 ms, so a moved
/// clock is seen at once.
/// </summary>
public abstract class TriggerClockHost : IAsyncLifetime
{
    /// <summary>A Sunday, in winter time in Europe (UTC+1).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private Dictionary<string, string?> _settings = null!;

    public FakeTimeProvider Time { get; } = new(Start);

    public OrchestratorTestHost Host { get; private set; } = null!;

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
    public abstract OrchestratorDatabase Database();

    public async Task InitializeAsync()
    {
        _settings = await SettingsAsync();
        _settings["Orchestrator:Triggers:ClockCheck"] = "00:00:00.050";
        Host = await StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await AfterStopAsync();
    }

    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    protected abstract Task AfterStopAsync();

    private Task<OrchestratorTestHost> StartHostAsync() =>
        OrchestratorTestHost.StartAsync(_settings, services => services.AddSingleton(new OrchestratorClock(Time)));
}

public sealed class EmbeddedTriggerClockHost : TriggerClockHost
{
    private readonly string _dataPath = TempFolder.Create("trigger-clock");

    public override OrchestratorDatabase Database() => OrchestratorDatabase.Embedded(_dataPath);

    protected override Task<Dictionary<string, string?>> SettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath });

    protected override Task AfterStopAsync()
    {
        TempFolder.Delete(_dataPath);
        return Task.CompletedTask;
    }
}

public sealed class PostgresTriggerClockHost : TriggerClockHost
{
    private string _connectionString = null!;

    public override OrchestratorDatabase Database() => new(DatabaseKind.PostgreSql, _connectionString);

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var server = await PostgresServer.AcquireAsync();
        _connectionString = await server.CreateDatabaseAsync();
        return OrchestratorTestHost.ClusterSettings(_connectionString);
    }

    protected override Task AfterStopAsync() => PostgresServer.ReleaseAsync();
}
