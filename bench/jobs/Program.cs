using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orchestrator.Bench;

// Job dispatch measured from outside the orchestrator, over HTTP, as robots see it:
//   1. dispatch latency: POST /api/job/create → the StartJob reaching a long-polling robot (p50, p99);
//   2. job cycles per second: create → StartJob → Running → Successful, across many simulated robots;
//   3. the same latency with many jobs already waiting for another robot (it must not grow).
// Usage: dotnet run -c Release --project bench/jobs -- --url http://127.0.0.1:5000 --key <admin key>
//        [--robots 200] [--samples 300] [--cycles 2000] [--pending 100000] [--server-pid <silo's process id>]
// With --server-pid (a silo on this machine), each phase also reports the CPU time the silo and this driver used,
// so a reader can see the driver had headroom. Several silos of one cluster: --url and --server-pid take
// comma-separated lists; robot i talks to silo i mod n, and creates go to the silos in turn.
var options = DriverArguments.Parse(args);
var urls = options.GetValueOrDefault("url", "http://127.0.0.1:5000").Split(',');
var url = string.Join(", ", urls);
var adminKey = options["key"];
var robotCount = options.Number("robots", 200);
var samples = options.Number("samples", 300);
var cycles = options.Number("cycles", 2000);
var pendingCount = options.Number("pending", 100000);
var serverPid = options.TryGetValue("server-pid", out var pidText) ? pidText.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray() : null;

var https = urls.Select(u => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = robotCount + 64, UseProxy = false }) { BaseAddress = new Uri(u), Timeout = TimeSpan.FromSeconds(100) }).ToArray();
var nextSilo = 0;
SetKey(adminKey);
var login = "bench-" + Guid.NewGuid().ToString("N")[..8];
var key = (await Post("/api/account/create", $$"""{"Login": "{{login}}", "Password": "bench-password"}""", via: 0)).GetProperty("key").GetString()!;
SetKey(key);

var process = (await Post("/api/process/create", """{"Name": "bench"}""")).GetProperty("guid").GetGuid();
await Post("/api/processVersion/create", $$"""{"Name": "v1", "ProcessGuid": "{{process}}", "ProcessFile": "UEsDBA==", "ProcessFileName": "bench.robot"}""");
var robots = new Guid[robotCount];
await Parallel.ForAsync(0, robotCount, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
    robots[i] = (await Post("/api/robot/create", $$"""{"Name": "bench-{{i}}"}""")).GetProperty("GUID").GetGuid());

var sent = new ConcurrentDictionary<Guid, long>();
var latencies = new ConcurrentBag<double>();
var completed = 0;
using var stop = new CancellationTokenSource();
var robotLoops = robots.Select((robot, i) => Task.Run(() => Robot(robot, i % https.Length, stop.Token))).ToArray();
await Task.Delay(1000); // every robot has its first long-poll open

Console.WriteLine($"orchestrator {url}, {robotCount} long-polling robots");
var phase = Cpu.Start(serverPid);
Report("dispatch latency, nothing else waiting, first after start", await Latency());
phase.Report();

phase = Cpu.Start(serverPid);
var clock = Stopwatch.StartNew();
var before = Volatile.Read(ref completed);
await Parallel.ForAsync(0, cycles, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, _) => await CreateJob(string.Empty));
while (Volatile.Read(ref completed) - before < cycles && clock.Elapsed < TimeSpan.FromMinutes(5))
{
    await Task.Delay(10);
}

Console.WriteLine($"job cycles (create → StartJob → Running → Successful): {cycles} in {clock.Elapsed.TotalSeconds:0.00} s = {cycles / clock.Elapsed.TotalSeconds:0} cycles/s");
phase.Report();

// The first phase is the silo's first dispatches after its start (JIT tiering, first activations of the robots'
// grains); the same measure once the cycles have run is the steady state.
phase = Cpu.Start(serverPid);
Report("dispatch latency, nothing else waiting, after the cycles", await Latency());
phase.Report();

// Jobs waiting for a robot that never asks: they sit in the dispatcher, and must not slow anyone else down.
var sink = (await Post("/api/robot/create", """{"Name": "bench-sink"}""")).GetProperty("GUID").GetGuid();
clock.Restart();
await Parallel.ForAsync(0, pendingCount, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, _) =>
    await Post("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{sink}}"}"""));
Console.WriteLine($"{pendingCount} jobs left waiting for another robot (created in {clock.Elapsed.TotalSeconds:0} s, {pendingCount / clock.Elapsed.TotalSeconds:0}/s)");
phase = Cpu.Start(serverPid);
Report($"dispatch latency, {pendingCount} jobs waiting for another robot", await Latency());
phase.Report();

await stop.CancelAsync();
await Task.WhenAll(robotLoops.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
return;

async Task<List<double>> Latency()
{
    latencies.Clear();
    for (var i = 0; i < samples; i++)
    {
        var target = Volatile.Read(ref completed);
        await CreateJob(string.Empty);
        while (Volatile.Read(ref completed) == target)
        {
            await Task.Delay(1);
        }
    }

    return [.. latencies];
}

async Task CreateJob(string target)
{
    var start = Stopwatch.GetTimestamp();
    var job = (await Post("/api/job/create", $$"""{"ProcessGuid": "{{process}}"{{target}}}""")).GetProperty("guid").GetGuid();
    sent.TryAdd(job, start);
}

async Task Robot(Guid robot, int silo, CancellationToken cancellation)
{
    long ack = 0;
    while (!cancellation.IsCancellationRequested)
    {
        JsonElement reply;
        try
        {
            reply = await Post("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Version": "1.0", "Wait": 30, "Ack": {{ack}}}""", cancellation, silo);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var received = Stopwatch.GetTimestamp();
        foreach (var command in reply.GetProperty("Commands").EnumerateArray())
        {
            var seq = command.GetProperty("Seq").GetInt64();
            if (seq <= ack || command.GetProperty("Type").GetString() != "StartJob")
            {
                ack = Math.Max(ack, seq);
                continue;
            }

            ack = seq;
            var job = command.GetProperty("JobGUID").GetGuid();
            var spin = new SpinWait();
            long created;
            while (!sent.TryGetValue(job, out created))
            {
                spin.SpinOnce(); // the create's answer may arrive after the StartJob does
            }

            latencies.Add(Stopwatch.GetElapsedTime(created, received).TotalMilliseconds);
            await Post("/api/job/update", $$"""{"Guid": "{{job}}", "Status": 1, "RobotGuid": "{{robot}}"}""", via: silo);
            await Post("/api/job/update", $$"""{"Guid": "{{job}}", "Status": 2, "RobotGuid": "{{robot}}"}""", via: silo);
            Interlocked.Increment(ref completed);
        }
    }
}

void SetKey(string bearer)
{
    foreach (var client in https)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    }
}

// Through silo `via`, or the silos in turn when none is named.
async Task<JsonElement> Post(string path, string json, CancellationToken cancellation = default, int via = -1)
{
    var http = https[via >= 0 ? via : (int)((uint)Interlocked.Increment(ref nextSilo) % https.Length)];
    using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellation);
    var text = await response.Content.ReadAsStringAsync(cancellation);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }

    return JsonDocument.Parse(text).RootElement.Clone();
}

static void Report(string what, List<double> values)
{
    values.Sort();
    double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    Console.WriteLine($"{what}: n={values.Count} p50={At(0.50):0.0} ms p99={At(0.99):0.0} ms max={values[^1]:0.0} ms");
}

/// <summary>CPU time used during a phase by this driver and, when its process id is given, by the silo.</summary>
internal sealed class Cpu
{
    private readonly int[]? _server;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _driver = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan? _serverCpu;

    private Cpu(int[]? server)
    {
        _server = server;
        _serverCpu = ServerCpu(server);
    }

    public static Cpu Start(int[]? server) => new(server);

    public void Report()
    {
        var wall = _wall.Elapsed.TotalSeconds;
        var driver = (Process.GetCurrentProcess().TotalProcessorTime - _driver).TotalSeconds;
        var server = ServerCpu(_server) - _serverCpu;
        Console.WriteLine(server is { } used
            ? $"  CPU over {wall:0.0} s: silo(s) {used.TotalSeconds:0.0} s ({used.TotalSeconds / wall:0.00} cores), driver {driver:0.0} s ({driver / wall:0.00} cores)"
            : $"  CPU over {wall:0.0} s: driver {driver:0.0} s ({driver / wall:0.00} cores)");
    }

    /// <summary>utime + stime of the silo processes from /proc (Linux), in clock ticks of 10 ms, summed.</summary>
    private static TimeSpan? ServerCpu(int[]? pids) =>
        pids is null ? null : pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcessCpu(pid));

    private static TimeSpan ProcessCpu(int id)
    {
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
