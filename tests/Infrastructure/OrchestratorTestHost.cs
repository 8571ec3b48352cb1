using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Api;
using Orchestrator.Silo;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// One real orchestrator process inside the test process: the same composition as <c>Program.cs</c>
/// (Orleans silo + HTTP API on Kestrel), listening on a free loopback port.
/// </summary>
public sealed class OrchestratorTestHost : IAsyncDisposable
{
    public const string AdminKey = "test-administrator-key-0123456789abcdefghij";

    /// <summary>The secret key every silo of a cluster-wiring test shares (Base64 of 32 bytes).</summary>
    public const string SecretKey = "dGVzdC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmNkZWY=";

    private readonly WebApplication _app;

    private OrchestratorTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a host. <paramref name="settings"/> are configuration keys such as <c>Orchestrator:DataPath</c>.
    /// HTTP listens on port 0; the Orleans ports cannot, so unless the settings name them they are picked free
    /// and picked again when another process took one first.
    /// </summary>
    public static async Task<OrchestratorTestHost> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = Build(settings, services);
            try
            {
                await app.StartAsync();
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                return new OrchestratorTestHost(app, new Uri(address));
            }
            catch (Exception e) when (attempt < 5 && FreePort.IsAddressInUse(e) && !settings.ContainsKey("Orchestrator:SiloPort") && !settings.ContainsKey("Orchestrator:GatewayPort"))
            {
                await app.DisposeAsync();
            }
        }
    }

    private static WebApplication Build(IDictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var all = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Orchestrator:AdminKey"] = AdminKey,
            ["Orchestrator:SiloPort"] = FreePort.Next().ToString(),
            ["Orchestrator:GatewayPort"] = FreePort.Next().ToString(),
            ["Orchestrator:ClusterId"] = "test",
            ["Orchestrator:ServiceId"] = "test",

            // Small, so that a file over the limit (a 413) costs a test one megabyte, not a hundred.
            ["Orchestrator:MaxFileBytes"] = (1024 * 1024).ToString(),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(all);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddOrchestrator();
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(LongPollProbe.Instance);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapOrchestratorApi();
        return app;
    }

    /// <summary>What a silo of the cluster wiring needs besides the defaults: the database, the shared secret key, a loopback address to advertise.</summary>
    public static Dictionary<string, string?> ClusterSettings(string connectionString) => new()
    {
        ["ConnectionStrings:Orchestrator"] = connectionString,
        ["Orchestrator:SecretKey"] = SecretKey,
        ["Orchestrator:AdvertisedIP"] = "127.0.0.1",
    };

    public ApiClient Client(string key = AdminKey) => new(Address, key);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
