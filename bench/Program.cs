using System.Globalization;
using Orchestrator.Bench;

// The request path measured from outside: the published server in its own process, wrk as the load
// generator. Each endpoint run follows a baseline run (GET /alive), so that a ratio compares figures
// taken under the same machine noise; the summary gives the median of those per-round ratios, never a
// ratio of medians taken from different runs.
var settings = BenchSettings.Parse(args);
var folder = Directory.CreateTempSubdirectory("orchestrator-bench-").FullName;
var c = CultureInfo.InvariantCulture;
try
{
    if (settings.Suite == "queues")
    {
        await QueueBench.RunAsync(settings, folder);
        return;
    }

    using var server = await ServerProcess.StartAsync(settings.Server, Path.Combine(folder, "data"), settings.Trace is not null && settings.Profiler == "perf");
    Console.Error.WriteLine($"Server {server.Address} (pid {server.Id}); creating {settings.Robots} + {settings.ListRobots} robots …");
    var idle = server.ResidentMegabytes();
    var setup = await Setup.CreateAsync(server.Address, settings.Robots, settings.ListRobots, folder);
    var withRobots = server.ResidentMegabytes();
    var wrk = new Wrk(settings, server, setup);
    string[] phases = [Endpoint.Alive, .. settings.Endpoints];

    Console.Error.WriteLine("Warming up …");
    foreach (var endpoint in phases)
    {
        await wrk.RunAsync(endpoint, settings.WarmUpSeconds);
    }

    // A round runs each endpoint right after a baseline run of its own: the pair sees the same noise
    // from whatever else the machine is doing, which drifts within seconds on a shared machine.
    if (settings.Trace is { } traced)
    {
        foreach (var endpoint in traced)
        {
            var perf = settings.Profiler == "perf";
            await Profile.RecordAsync(wrk, server, endpoint, 10, Path.GetFullPath(perf ? $"{endpoint}.perf.data" : $"{endpoint}.nettrace"), perf);
        }

        return;
    }

    var rounds = new List<Dictionary<string, (PhaseResult Baseline, PhaseResult Endpoint)>>();
    for (var round = 1; round <= settings.Rounds; round++)
    {
        var results = new Dictionary<string, (PhaseResult Baseline, PhaseResult Endpoint)>();
        foreach (var endpoint in settings.Endpoints)
        {
            var baseline = await wrk.RunAsync(Endpoint.Alive, settings.Seconds);
            results[endpoint] = (baseline, await wrk.RunAsync(endpoint, settings.Seconds));
        }

        rounds.Add(results);
        Console.Error.WriteLine($"round {round}: " + string.Join(", ", results.Select(r => string.Create(c, $"{r.Key} {r.Value.Endpoint.PerSecond:F0}/s vs {r.Value.Baseline.PerSecond:F0}/s"))));
    }

    var allocations = new Dictionary<string, double>();
    if (settings.Counters)
    {
        foreach (var endpoint in phases)
        {
            if (await Allocations.MeasureAsync(wrk, server, endpoint, Math.Max(settings.Seconds, 8)) is { } measured)
            {
                allocations[endpoint] = measured.BytesPerRequest;
            }
        }
    }

    Report(settings, phases, rounds, allocations);
    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"Server resident memory: {idle:F0} MiB started, {withRobots:F0} MiB once its {settings.Robots + settings.ListRobots} robot grains are active, {server.ResidentMegabytes():F0} MiB at the end."));
}
finally
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}

static void Report(BenchSettings settings, string[] phases, List<Dictionary<string, (PhaseResult Baseline, PhaseResult Endpoint)>> rounds, Dictionary<string, double> allocations)
{
    var c = CultureInfo.InvariantCulture;
    var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();
    var endpoints = settings.Endpoints;
    Console.WriteLine(string.Create(c, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} × {cpu}"));
    Console.WriteLine(string.Create(c, $"wrk -t{settings.Threads} -c{settings.Connections}; {settings.Rounds} rounds; a round runs GET /alive then the endpoint, {settings.Seconds} s each, for every endpoint; {settings.Robots} robots in turn; a list of {settings.ListRobots}"));
    Console.WriteLine();
    Console.WriteLine("Per round: endpoint req/s / the GET /alive req/s just before it = ratio");
    Console.WriteLine();
    Console.WriteLine("| round | " + string.Join(" | ", endpoints) + " |");
    Console.WriteLine("|---:|" + string.Concat(endpoints.Select(_ => "---:|")));
    for (var i = 0; i < rounds.Count; i++)
    {
        Console.WriteLine(string.Create(c, $"| {i + 1} | ") + string.Join(" | ", endpoints.Select(p =>
        {
            var (baseline, endpoint) = rounds[i][p];
            return string.Create(c, $"{endpoint.PerSecond:F0} / {baseline.PerSecond:F0} = {endpoint.PerSecond / baseline.PerSecond:F2}");
        })) + " |");
    }

    Console.WriteLine();
    Console.WriteLine("Medians over rounds. Throughput ratio: of the per-round ratios. CPU ratio: GET /alive's server CPU per request over the endpoint's, per round.");
    Console.WriteLine();
    Console.WriteLine("| endpoint | req/s | throughput ratio (min–max) | CPU ratio | p50 ms | p99 ms | server CPU µs/req | wrk CPU µs/req | bytes/req | unexpected answers |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    var baselines = rounds.SelectMany(r => r.Values.Select(v => v.Baseline)).ToList();
    Console.WriteLine(Row(Endpoint.Alive, baselines, "1.00", "1.00"));
    foreach (var p in endpoints)
    {
        var pairs = rounds.Select(r => r[p]).ToList();
        var ratios = pairs.Select(x => x.Endpoint.PerSecond / x.Baseline.PerSecond).ToList();
        var cpuRatios = pairs.Select(x => x.Baseline.ServerCpuUs / x.Endpoint.ServerCpuUs);
        Console.WriteLine(Row(p, pairs.Select(x => x.Endpoint).ToList(), string.Create(c, $"{Median(ratios):F2} ({ratios.Min():F2}–{ratios.Max():F2})"), string.Create(c, $"{Median(cpuRatios):F2}")));
    }

    string Row(string p, List<PhaseResult> series, string ratio, string cpuRatio)
    {
        var unexpected = series.Sum(r => r.SocketErrors + (Endpoint.ExpectsSuccess(p) ? r.NonSuccess : r.Requests - r.NonSuccess));
        var bytes = allocations.TryGetValue(p, out var b) ? string.Create(c, $"{b:F0}") : "–";
        return string.Create(c,
            $"| {Endpoint.Describe(p)} | {Median(series.Select(r => r.PerSecond)):F0} | {ratio} | {cpuRatio} | {Median(series.Select(r => r.P50Ms)):F2} | {Median(series.Select(r => r.P99Ms)):F2} | {Median(series.Select(r => r.ServerCpuUs)):F1} | {Median(series.Select(r => r.WrkCpuUs)):F1} | {bytes} | {unexpected} |");
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
