using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Api;
using Orchestrator.Silo;
using Orchestrator.Bench;

// Asset reads by name and log ingest against a constant endpoint of the same host (GET /alive), on the
// embedded wiring, in alternating rounds so that every phase sees the same machine noise.
// Arguments: --concurrency 32 --seconds 5 --rounds 3 --robots 200 --assets 100
var options = DriverArguments.Parse(args);

var concurrency = options.Number("concurrency", 32);
var seconds = options.Number("seconds", 5);
var rounds = options.Number("rounds", 3);
var robotCount = options.Number("robots", 200);
var assetCount = options.Number("assets", 100);

const string adminKey = "benchmark-administrator-key-0123456789abcdef";
var dataPath = Path.Combine(Path.GetTempPath(), "orchestrator-bench-assets-" + Guid.NewGuid().ToString("N")[..8]);
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
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false }) { BaseAddress = new Uri(address) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);

async Task<JsonElement> Post(string path, string json)
{
    using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
    response.EnsureSuccessStatusCode();
    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

// Robots, half of them in a group; assets of each visibility, a credential among every three.
Console.Error.WriteLine($"Creating {robotCount} robots and {assetCount} assets on {address} …");
var robots = new Guid[robotCount];
for (var i = 0; i < robotCount; i++)
{
    robots[i] = (await Post("/api/robot/create", $$"""{"Name": "bench-{{i}}"}""")).GetProperty("GUID").GetGuid();
}

var group = (await Post("/api/robotGroup/create", """{"Name": "bench"}""")).GetProperty("GUID").GetGuid();
for (var i = 0; i < robotCount; i += 2)
{
    using var added = await http.PutAsync("/api/robotGroup/addRobot", new StringContent($$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robots[i]}}"}""", Encoding.UTF8, "application/json"));
    added.EnsureSuccessStatusCode();
}

var reads = new List<string>();
for (var i = 0; i < assetCount; i++)
{
    var visibility = (i % 4) switch
    {
        0 => $"\"RobotType\": 2, \"RobotGroupId\": \"{group}\"",
        1 => $"\"RobotType\": 1, \"RobotId\": \"{robots[i % robotCount]}\"",
        _ => "\"RobotType\": 3",
    };
    var kind = i % 3 == 0 ? """ "Type": 1, "Text": "login", "Password": "p4ssw0rd-value" """ : """ "Type": 2, "Text": "some configuration value" """;
    await Post("/api/asset/create", $$"""{"Name": "asset-{{i}}", {{kind}}, {{visibility}}}""");

    // A robot that may read it: a group member (even index), the named robot, or any.
    var reader = (i % 4) switch { 0 => robots[(i * 2) % robotCount & ~1], 1 => robots[i % robotCount], _ => robots[(i * 7) % robotCount] };
    reads.Add($"/api/asset/byName/asset-{i}?robot={reader}");
}

var logLine = Encoding.UTF8.GetBytes($$"""{"RobotGUID": "{{robots[0]}}", "JobGUID": "{{Guid.NewGuid()}}", "Level": 2, "Message": "Invoice 4711 posted to SAP in 312 ms"}""");
// A batch as a robot sends it: its own lines, of one job.
var jobs = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();
var logBatch = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, 100).Select(i =>
    $$"""{"RobotGUID": "{{robots[i % 10]}}", "JobGUID": "{{jobs[i % 10]}}", "Level": {{i % 6}}, "Message": "Invoice {{i}} posted to SAP in 312 ms"}""")) + "]");

async Task<bool> Alive(int worker, long i)
{
    using var response = await http.GetAsync("/alive");
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

async Task<bool> ByName(int worker, long i)
{
    using var response = await http.GetAsync(reads[(int)((worker + (i * concurrency)) % reads.Count)]);
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

async Task<bool> Send(string path, byte[] body)
{
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var response = await http.PostAsync(path, content);
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

Task<bool> LogCreate(int worker, long i) => Send("/api/log/create", logLine);
Task<bool> LogBatch(int worker, long i) => Send("/api/log/createBatch", logBatch);

var phases = new (string Name, Func<int, long, Task<bool>> Send, int LinesPerRequest)[]
{
    ("constant (GET /alive)", Alive, 0),
    ("asset byName (GET /api/asset/byName/{name}?robot=)", ByName, 0),
    ("log create (POST /api/log/create, 1 line)", LogCreate, 1),
    ("log createBatch (POST /api/log/createBatch, 100 lines)", LogBatch, 100),
};
Console.Error.WriteLine("Warming up …");
foreach (var phase in phases)
{
    await RunAsync(concurrency, TimeSpan.FromSeconds(1), phase.Send);
}

var results = phases.Select(_ => new List<(double PerSecond, double P50, double P99, long Failures)>()).ToArray();
for (var round = 1; round <= rounds; round++)
{
    for (var p = 0; p < phases.Length; p++)
    {
        results[p].Add(await RunAsync(concurrency, TimeSpan.FromSeconds(seconds), phases[p].Send));
    }

    Console.Error.WriteLine($"round {round}: " + string.Join(", ", phases.Select((ph, p) => $"{results[p][^1].PerSecond:F0}/s")));
}

var c = CultureInfo.InvariantCulture;
Console.WriteLine($"concurrent clients: {concurrency}, rounds: {rounds} × {seconds} s per phase, alternating; {robotCount} robots, {assetCount} assets");
Console.WriteLine();
Console.WriteLine("| phase | median req/s | median lines/s | median p50 ms | median p99 ms | failures |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
for (var p = 0; p < phases.Length; p++)
{
    var perSecond = Median(results[p].Select(r => r.PerSecond));
    var lines = phases[p].LinesPerRequest == 0 ? "" : (perSecond * phases[p].LinesPerRequest).ToString("F0", c);
    Console.WriteLine(string.Create(c, $"| {phases[p].Name} | {perSecond:F0} | {lines} | {Median(results[p].Select(r => r.P50)):F2} | {Median(results[p].Select(r => r.P99)):F2} | {results[p].Sum(r => r.Failures)} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(c, $"byName / constant (ratio of medians): {Median(results[1].Select(r => r.PerSecond)) / Median(results[0].Select(r => r.PerSecond)):F2}"));
Console.WriteLine("per round (constant, byName): " + string.Join("; ", Enumerable.Range(0, rounds).Select(r => string.Create(c, $"{results[0][r].PerSecond:F0}, {results[1][r].PerSecond:F0}"))));

await app.StopAsync();
try
{
    Directory.Delete(dataPath, recursive: true);
}
catch (IOException)
{
}

static async Task<(double PerSecond, double P50, double P99, long Failures)> RunAsync(int workers, TimeSpan duration, Func<int, long, Task<bool>> send)
{
    var latencies = new List<double>[workers];
    var failures = new long[workers];
    var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        var own = latencies[worker] = new List<double>(16 * 1024);
        for (long i = 0; Stopwatch.GetTimestamp() < stopAt; i++)
        {
            var begin = Stopwatch.GetTimestamp();
            var ok = await send(worker, i);
            own.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            if (!ok)
            {
                failures[worker]++;
            }
        }
    })));
    var all = latencies.SelectMany(l => l).Order().ToList();
    return (all.Count / started.Elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), failures.Sum());
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
