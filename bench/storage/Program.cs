using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Bench;

// Storage throughput (API.md §12) from outside the server: the published silo runs as a process of its own on the
// embedded wiring; this driver uploads (multipart, and JSON Base64) and downloads files of --megabytes MiB with
// --concurrency clients, in rounds that alternate with a baseline of the same transfer that touches no database:
// a bare Kestrel endpoint in this process that serves the same bytes from memory and swallows uploads.
// Arguments: --server <Orchestrator.Silo.dll> --rounds 5 --seconds 4 --megabytes 4 --concurrency 4
var options = DriverArguments.Parse(args);

var rounds = options.Number("rounds", 5);
var seconds = options.Number("seconds", 4);
var megabytes = options.Number("megabytes", 4);
var concurrency = options.Number("concurrency", 4);
var serverDll = options.TryGetValue("server", out var dll) ? dll : throw new ArgumentException("--server <path to Orchestrator.Silo.dll> is required");

var size = megabytes * 1024 * 1024;
var content = new byte[size];
new Random(1).NextBytes(content);
var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
var base64Body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { Name = "bench.bin", file = Convert.ToBase64String(content), Encoding = "base64" }));

// The baseline: the same bytes over the same loopback and HTTP stack, without the orchestrator.
var baselineBuilder = WebApplication.CreateSlimBuilder();
baselineBuilder.WebHost.UseUrls("http://127.0.0.1:0");
baselineBuilder.Logging.ClearProviders();
await using var baseline = baselineBuilder.Build();
baseline.MapGet("/blob", async (HttpContext http) =>
{
    http.Response.ContentType = "application/octet-stream";
    http.Response.ContentLength = content.Length;
    await http.Response.Body.WriteAsync(content, http.RequestAborted);
});
baseline.MapPost("/sink", async (HttpContext http) =>
{
    http.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
    await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
    return Results.Ok();
});
await baseline.StartAsync();
var baselineAddress = new Uri(baseline.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

var dataPath = Path.Combine(Path.GetTempPath(), "orchestrator-bench-storage-" + Guid.NewGuid().ToString("N")[..8]);
using var server = await ServerProcess.StartAsync(serverDll, dataPath);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2, UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AdminKey);
Uri At(string path) => new(server.Address, path);

async Task<Guid> UploadMultipart(Guid folder)
{
    using var form = new MultipartFormDataContent
    {
        { new StringContent("bench.bin"), "Name" },
        { new StringContent(folder.ToString()), "folder_guid" },
        { new ByteArrayContent(content), "file", "bench.bin" },
    };
    using var response = await http.PostAsync(At("/api/files/create"), form);
    response.EnsureSuccessStatusCode();
    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("guid").GetGuid();
}

async Task<Guid> UploadJson()
{
    using var body = new ByteArrayContent(base64Body);
    body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var response = await http.PostAsync(At("/api/files/create"), body);
    response.EnsureSuccessStatusCode();
    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("guid").GetGuid();
}

async Task<long> Drain(HttpResponseMessage response)
{
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync();
    var buffer = new byte[81920];
    long total = 0;
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0)
    {
        total += read;
    }

    return total;
}

Console.Error.WriteLine($"Server {server.Address} (pid {server.Id}); baseline {baselineAddress}; {megabytes} MiB files, {concurrency} clients");
using (var created = await http.PostAsync(At("/api/folders/create"), new StringContent("""{"Name": "bench"}""", Encoding.UTF8, "application/json")))
{
    created.EnsureSuccessStatusCode();
}

var folder = JsonDocument.Parse(await (await http.GetAsync(At("/api/folders/list"))).Content.ReadAsStringAsync()).RootElement[0].GetProperty("guid").GetGuid();
var stored = new List<Guid>();
for (var i = 0; i < concurrency * 2; i++)
{
    stored.Add(await UploadMultipart(folder));
}

// Once, outside the timing: what comes back is what went in.
using (var check = await http.GetAsync(At($"/api/files/download/{stored[0]}")))
{
    var bytes = await check.Content.ReadAsByteArrayAsync();
    if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != sha256)
    {
        throw new InvalidOperationException("The downloaded file differs from the uploaded one.");
    }
}

var uploaded = new System.Collections.Concurrent.ConcurrentBag<Guid>();
var phases = new (string Name, bool Requests, Func<int, long, Task<long>> Run)[]
{
    ("constant (GET /alive), req/s", true, async (_, _) => { using var r = await http.GetAsync(At("/alive")); return await Drain(r) * 0 + 1; }),
    ("baseline download (bare Kestrel, same bytes), MB/s", false, async (_, _) => { using var r = await http.GetAsync(new Uri(baselineAddress, "/blob"), HttpCompletionOption.ResponseHeadersRead); return await Drain(r); }),
    ("download (GET /api/files/download/{guid}), MB/s", false, async (w, i) => { using var r = await http.GetAsync(At($"/api/files/download/{stored[(int)((w + i) % stored.Count)]}"), HttpCompletionOption.ResponseHeadersRead); return await Drain(r); }),
    ("baseline upload (bare Kestrel, multipart), MB/s", false, async (_, _) =>
    {
        using var form = new MultipartFormDataContent { { new StringContent("bench.bin"), "Name" }, { new ByteArrayContent(content), "file", "bench.bin" } };
        using var r = await http.PostAsync(new Uri(baselineAddress, "/sink"), form);
        r.EnsureSuccessStatusCode();
        return size;
    }),
    ("upload multipart (POST /api/files/create), MB/s", false, async (_, _) => { uploaded.Add(await UploadMultipart(folder)); return size; }),
    ("upload JSON Base64 (POST /api/files/create), MB/s", false, async (_, _) => { uploaded.Add(await UploadJson()); return size; }),
};

async Task<double> RunAsync(Func<int, long, Task<long>> run)
{
    var stop = Stopwatch.StartNew();
    var until = TimeSpan.FromSeconds(seconds);
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        long total = 0;
        for (long i = 0; stop.Elapsed < until; i++)
        {
            total += await run(w, i);
        }

        return total;
    });
    var totals = await Task.WhenAll(workers);
    return totals.Sum() / stop.Elapsed.TotalSeconds;
}

async Task DeleteUploadsAsync()
{
    while (uploaded.TryTake(out var guid))
    {
        using var deleted = await http.DeleteAsync(At($"/api/files/delete/{guid}"));
        deleted.EnsureSuccessStatusCode();
    }
}

Console.Error.WriteLine("Warming up …");
foreach (var phase in phases)
{
    await RunAsync(phase.Run);
    await DeleteUploadsAsync();
}

var results = phases.Select(_ => new List<double>()).ToArray();
for (var round = 1; round <= rounds; round++)
{
    for (var p = 0; p < phases.Length; p++)
    {
        var rate = await RunAsync(phases[p].Run);
        results[p].Add(phases[p].Requests ? rate : rate / 1e6);
        await DeleteUploadsAsync();
    }

    Console.Error.WriteLine($"round {round}: " + string.Join(", ", results.Select(r => r[^1].ToString("F0", CultureInfo.InvariantCulture))));
}

double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

var c = CultureInfo.InvariantCulture;
Console.WriteLine($"{megabytes} MiB files, {concurrency} concurrent clients, {rounds} rounds × {seconds} s per phase, alternating; MB = 10^6 bytes of file content");
Console.WriteLine();
Console.WriteLine("| phase | median | min – max |");
Console.WriteLine("|---|---:|---:|");
for (var p = 0; p < phases.Length; p++)
{
    Console.WriteLine(string.Create(c, $"| {phases[p].Name} | {Median(results[p]):F0} | {results[p].Min():F0} – {results[p].Max():F0} |"));
}

Console.WriteLine();
(string Name, int Of, int Baseline)[] ratios =
[
    ("download / baseline download", 2, 1),
    ("upload multipart / baseline upload", 4, 3),
    ("upload JSON Base64 / baseline upload", 5, 3),
];
foreach (var (name, of, against) in ratios)
{
    var perRound = results[of].Zip(results[against], (a, b) => a / b).ToArray();
    Console.WriteLine(string.Create(c, $"{name}: median of per-round ratios {Median(perRound):F2} (min {perRound.Min():F2}, max {perRound.Max():F2})"));
}
