using System.Net;
using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Two silos of one cluster on a throwaway PostgreSQL database, for tests that kill one mid-work: the doomed silo
/// runs in a process of its own (so it can be SIGKILLed), the survivor in the test process. Disposing stops both
/// and gives the PostgreSQL server back.
/// </summary>
public sealed class KillableCluster : IAsyncDisposable
{
    private KillableCluster(string connectionString, SiloProcess doomed)
    {
        ConnectionString = connectionString;
        Doomed = doomed;
    }

    public string ConnectionString { get; }

    /// <summary>The silo to kill; it knows the administrator key.</summary>
    public SiloProcess Doomed { get; }

    /// <summary>The silo that lives on; null until <see cref="StartSurvivorAsync"/>.</summary>
    public OrchestratorTestHost? Survivor { get; private set; }

    /// <summary>
    /// Starts the doomed silo (with <paramref name="doomedSettings"/> besides the cluster's), and the survivor too unless
    /// a test wants grains placed on the doomed one first.
    /// </summary>
    public static async Task<KillableCluster> StartAsync(bool withSurvivor = true, IDictionary<string, string>? doomedSettings = null)
    {
        var server = await PostgresServer.AcquireAsync();
        KillableCluster? cluster = null;
        try
        {
            var connectionString = await server.CreateDatabaseAsync();
            var settings = new Dictionary<string, string>(doomedSettings ?? new Dictionary<string, string>())
            {
                ["ConnectionStrings:Orchestrator"] = connectionString,
                ["Orchestrator:SecretKey"] = OrchestratorTestHost.SecretKey,
                ["Orchestrator:AdminKey"] = OrchestratorTestHost.AdminKey,
                ["Orchestrator:AdvertisedIP"] = "127.0.0.1",
                ["Orchestrator:ClusterId"] = "test",
                ["Orchestrator:ServiceId"] = "test",
            };
            var doomed = await SiloProcess.StartAsync(settings);
            cluster = new KillableCluster(connectionString, doomed);
            if (withSurvivor)
            {
                await cluster.StartSurvivorAsync();
            }

            return cluster;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
            else
            {
                await PostgresServer.ReleaseAsync();
            }

            throw;
        }
    }

    public async Task<OrchestratorTestHost> StartSurvivorAsync() =>
        Survivor = await OrchestratorTestHost.StartAsync(OrchestratorTestHost.ClusterSettings(ConnectionString));

    /// <summary>
    /// Sends until answered 200 (the body) or 204 (null); a 503, while membership has not yet declared the dead silo
    /// dead, is retried as a robot would, for up to two minutes. Anything else fails the test.
    /// </summary>
    public static async Task<JsonElement?> RetryAsync(Func<Task<HttpResponseMessage>> send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(text).RootElement.Clone();
            }

            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return null;
            }

            Assert.True(
                response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline,
                $"expected 200/204 (or 503 while the dead silo is being declared dead), got {(int)response.StatusCode}: {text}");
            await Task.Delay(250);
        }
    }

    /// <summary>As <see cref="RetryAsync"/>, for calls that answer a body.</summary>
    public static async Task<JsonElement> RetryForBodyAsync(Func<Task<HttpResponseMessage>> send)
    {
        var body = await RetryAsync(send);
        Assert.True(body.HasValue, "expected a body, got 204");
        return body.Value;
    }

    /// <summary>The answer when it is 200; null when the silo did not acknowledge (it died, or refused).</summary>
    public static async Task<JsonElement?> TryAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return response.StatusCode == HttpStatusCode.OK
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone()
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Survivor is not null)
            {
                await Survivor.DisposeAsync();
            }

            Doomed.Dispose();
        }
        finally
        {
            await PostgresServer.ReleaseAsync();
        }
    }
}
