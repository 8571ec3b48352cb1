using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Api;
using Orchestrator.Bench;
using Orchestrator.Silo;

// Heartbeat throughput against a constant endpoint of the same host, measured in alternating rounds so
// that both see the same machine noise. Reports per-round figures, medians and the ratio of medians.
var settings = BenchSettings.Parse(args);
const string adminKey = "benchmark-administrator-key-0123456789abcdef";
var dataPath = Path.Combine(Path.GetTempPath(), "orchestrator-bench-" + Guid.NewGuid().ToString("N")[..8]);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Urls"] = "http://127.0.0.1:0",
    ["Orchestrator:DataPath"] = dataPath,
    ["Orchestrator:AdminKey"] = adminKey,
    ["Orchestrator:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
    ["Orchestrator:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
});
builder.Logging.ClearProviders();
builder.AddOrchestrator();
await using var app = builder.Build();
app.MapOrchestratorApi();
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency, UseProxy = false })
{
    BaseAddress = new Uri(address),
};
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);

Console.Error.WriteLine($"Creating {settings.Robots} robots on {address} …");
var robots = new Guid[settings.Robots];
await Parallel.ForEachAsync(Enumerable.Range(0, settings.Robots), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    using var response = await http.PostAsync("/api/robot/create", new StringContent($$"""{"Name": "bench-{{i}}"}""", Encoding.UTF8, "application/json"), ct);
    response.EnsureSuccessStatusCode();
    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
    robots[i] = body.RootElement.GetProperty("GUID").GetGuid();
});
var heartbeats = robots
    .Select((robot, i) => Encoding.UTF8.GetBytes($$"""{"GUID": "{{robot}}", "Machine": "WS-{{i}}", "IP": "10.0.{{i / 256}}.{{i % 256}}", "MAC": "00:00:00:00:{{i / 256:x2}}:{{i % 256:x2}}", "Version": "2.4.1"}"""))
    .ToArray();

async Task<bool> Heartbeat(int worker, long i)
{
    var robot = (int)((worker + i * settings.Concurrency) % robots.Length);
    using var content = new ByteArrayContent(heartbeats[robot]);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var response = await http.PostAsync("/api/robot/heartbeat", content);
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

async Task<bool> Constant(int worker, long i)
{
    using var response = await http.GetAsync("/alive");
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

var duration = TimeSpan.FromSeconds(settings.Seconds);
Console.Error.WriteLine("Warming up …");
await LoadDriver.RunAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(2), Heartbeat);
await LoadDriver.RunAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(2), Constant);

var constant = new List<PhaseResult>();
var heartbeat = new List<PhaseResult>();
for (var round = 1; round <= settings.Rounds; round++)
{
    constant.Add(await LoadDriver.RunAsync("constant (GET /alive)", settings.Concurrency, duration, Constant));
    heartbeat.Add(await LoadDriver.RunAsync("heartbeat (POST /api/robot/heartbeat)", settings.Concurrency, duration, Heartbeat));
    Console.Error.WriteLine($"round {round}: constant {constant[^1].PerSecond:F0}/s, heartbeat {heartbeat[^1].PerSecond:F0}/s");
}

await app.StopAsync();
try
{
    Directory.Delete(dataPath, recursive: true);
}
catch (IOException)
{
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

var c = CultureInfo.InvariantCulture;
Console.WriteLine($"robots: {settings.Robots}, concurrent clients: {settings.Concurrency}, rounds: {settings.Rounds} × {settings.Seconds} s per endpoint, alternating");
Console.WriteLine();
Console.WriteLine("| endpoint | median req/s | median p50 ms | median p99 ms | failures |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var series in new[] { constant, heartbeat })
{
    Console.WriteLine(string.Create(c, $"| {series[0].Name} | {Median(series.Select(r => r.PerSecond)):F0} | {Median(series.Select(r => r.P50)):F2} | {Median(series.Select(r => r.P99)):F2} | {series.Sum(r => r.Failures)} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(c, $"heartbeat / constant throughput (ratio of medians): {Median(heartbeat.Select(r => r.PerSecond)) / Median(constant.Select(r => r.PerSecond)):F2}"));
Console.WriteLine("per round (constant, heartbeat req/s): " + string.Join("; ", constant.Zip(heartbeat, (a, b) => string.Create(c, $"{a.PerSecond:F0}, {b.PerSecond:F0}"))));
