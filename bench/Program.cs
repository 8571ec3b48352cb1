using System.Globalization;
using Orchestrator.Bench;

// The request path measured from outside: the published server in its own process, wrk as the load
// generator. Each round measures the baseline (GET /alive) and then every endpoint, so that a ratio
// compares figures taken under the same machine noise; the summary gives the median of those per-round
// ratios, never a ratio of medians taken from different rounds.
var settings = BenchSettings.Parse(args);
var folder = Directory.CreateTempSubdirectory("orchestrator-bench-").FullName;
var c = CultureInfo.InvariantCulture;
try
{
    using var server = await ServerProcess.StartAsync(settings.Server, Path.Combine(folder, "data"));
    Console.Error.WriteLine($"Server {server.Address} (pid {server.Id}); creating {settings.Robots} + {settings.ListRobots} robots …");
    var setup = await Setup.CreateAsync(server.Address, settings.Robots, settings.ListRobots, folder);
    var wrk = new Wrk(settings, server, setup);
    string[] phases = [Endpoint.Alive, .. settings.Endpoints];

    Console.Error.WriteLine("Warming up …");
    foreach (var endpoint in phases)
    {
        await wrk.RunAsync(endpoint, settings.WarmUpSeconds);
    }

    var rounds = new List<Dictionary<string, PhaseResult>>();
    for (var round = 1; round <= settings.Rounds; round++)
    {
        var results = new Dictionary<string, PhaseResult>();
        foreach (var endpoint in phases)
        {
            results[endpoint] = await wrk.RunAsync(endpoint, settings.Seconds);
        }

        rounds.Add(results);
        Console.Error.WriteLine($"round {round}: " + string.Join(", ", phases.Select(p => string.Create(c, $"{p} {results[p].PerSecond:F0}/s"))));
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

static void Report(BenchSettings settings, string[] phases, List<Dictionary<string, PhaseResult>> rounds, Dictionary<string, double> allocations)
{
    var c = CultureInfo.InvariantCulture;
    var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();
    Console.WriteLine(string.Create(c, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} × {cpu}"));
    Console.WriteLine(string.Create(c, $"wrk -t{settings.Threads} -c{settings.Connections}, {settings.Rounds} rounds × {settings.Seconds} s per endpoint, each round: {string.Join(", ", phases)}; {settings.Robots} robots in turn; list of {settings.ListRobots}"));
    Console.WriteLine();
    Console.WriteLine("Per round, req/s (ratio to that round's GET /alive):");
    Console.WriteLine();
    Console.WriteLine("| round | " + string.Join(" | ", phases) + " |");
    Console.WriteLine("|---:|" + string.Concat(phases.Select(_ => "---:|")));
    for (var i = 0; i < rounds.Count; i++)
    {
        var baseline = rounds[i][Endpoint.Alive].PerSecond;
        Console.WriteLine(string.Create(c, $"| {i + 1} | ") + string.Join(" | ", phases.Select(p => p == Endpoint.Alive
            ? string.Create(c, $"{baseline:F0}")
            : string.Create(c, $"{rounds[i][p].PerSecond:F0} ({rounds[i][p].PerSecond / baseline:F2})"))) + " |");
    }

    Console.WriteLine();
    Console.WriteLine("| endpoint | median req/s | median of per-round ratios (min–max) | median p50 ms | median p99 ms | server CPU µs/req | wrk CPU µs/req | bytes/req | unexpected answers |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var p in phases)
    {
        var series = rounds.Select(r => r[p]).ToList();
        var ratios = rounds.Select(r => r[p].PerSecond / r[Endpoint.Alive].PerSecond).ToList();
        var unexpected = series.Sum(r => r.SocketErrors + (Endpoint.ExpectsSuccess(p) ? r.NonSuccess : r.Requests - r.NonSuccess));
        var ratio = p == Endpoint.Alive ? "1.00" : string.Create(c, $"{Median(ratios):F2} ({ratios.Min():F2}–{ratios.Max():F2})");
        var bytes = allocations.TryGetValue(p, out var b) ? string.Create(c, $"{b:F0}") : "–";
        Console.WriteLine(string.Create(c,
            $"| {Endpoint.Describe(p)} | {Median(series.Select(r => r.PerSecond)):F0} | {ratio} | {Median(series.Select(r => r.P50Ms)):F2} | {Median(series.Select(r => r.P99Ms)):F2} | {Median(series.Select(r => r.ServerCpuUs)):F0} | {Median(series.Select(r => r.WrkCpuUs)):F0} | {bytes} | {unexpected} |"));
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
