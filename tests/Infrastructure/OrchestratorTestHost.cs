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

    private readonly WebApplication _app;

    private OrchestratorTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host. <paramref name="settings"/> are configuration keys such as <c>Orchestrator:DataPath</c>.</summary>
    public static async Task<OrchestratorTestHost> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
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
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapOrchestratorApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OrchestratorTestHost(app, new Uri(address));
    }

    public ApiClient Client(string key = AdminKey) => new(Address, key);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
