using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Hosting;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Queues;

/// <summary>
/// One orchestrator whose clock the tests move (the abandon window), whose task payload limit is small,
/// so that the limit is met before the request body limit, and whose queues keep their SQLite writer 5 s.
/// </summary>
public abstract class QueueClockHost : IAsyncLifetime
{
    public const int MaxPayloadBytes = 4096;

    /// <summary>How long a queue keeps its SQLite writer with no batch: long enough that a test sees it kept, short enough to see it closed.</summary>
    public static readonly TimeSpan WriterIdle = TimeSpan.FromSeconds(5);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    public OrchestratorTestHost Host { get; private set; } = null!;

    public async Task<ApiClient> NewAccountAsync()
    {
        using var admin = Host.Client();
        var created = await admin.PostAsync("/api/account/create", $$"""{"Login": "tenant-{{Guid.NewGuid():N}}", "Password": "pa55word!"}""");
        return Host.Client(created.GetProperty("key").GetString()!);
    }

    public async Task InitializeAsync()
    {
        var settings = await SettingsAsync();
        settings["Orchestrator:Queues:MaxPayloadBytes"] = MaxPayloadBytes.ToString();
        settings["Orchestrator:Queues:WriterIdle"] = WriterIdle.ToString();
        Host = await OrchestratorTestHost.StartAsync(settings, services => services.AddSingleton(new OrchestratorClock(Time)));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await AfterStopAsync();
    }

    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    protected abstract Task AfterStopAsync();
}

public sealed class EmbeddedQueueClockHost : QueueClockHost
{
    private readonly string _dataPath = TempFolder.Create("queue-clock");

    protected override Task<Dictionary<string, string?>> SettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath });

    protected override Task AfterStopAsync()
    {
        TempFolder.Delete(_dataPath);
        return Task.CompletedTask;
    }
}

public sealed class PostgresQueueClockHost : QueueClockHost
{
    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var server = await PostgresServer.AcquireAsync();
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orchestrator"] = await server.CreateDatabaseAsync(),
            ["Orchestrator:SecretKey"] = OrchestratorTestHost.SecretKey,
            ["Orchestrator:AdvertisedIP"] = "127.0.0.1",
        };
    }

    protected override Task AfterStopAsync() => PostgresServer.ReleaseAsync();
}
