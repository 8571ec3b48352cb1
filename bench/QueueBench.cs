using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Bench;

/// <summary>
/// The queue benchmark (<c>--suite queues</c>): what robots and producers see of queues, from outside the
/// server, on the embedded wiring and on the cluster wiring with a PostgreSQL server of its own. Per wiring:
/// <list type="bullet">
/// <item>take + complete cycles per second with 64 consumers and with 1 (wrk, <c>lua/queues.lua</c> mode
/// <c>cycle</c>: each consumer is a robot running a job of its own, which task/next checks), each run right
/// after a GET /alive run with as many connections;</item>
/// <item>createBatch tasks per second (1,000 tasks a request), after a GET /alive run too;</item>
/// <item>the latency of one take (one client, a take then its completion, the take timed) at a depth of
/// 1,000 and at a depth of <c>--depth</c> (1,000,000), alternating between the two queues, and the server's
/// resident memory at both depths.</item>
/// </list>
/// </summary>
public static class QueueBench
{
    private const string Script = "queues.lua";
    private const int ShallowDepth = 1000;
    private const int BatchConnections = 8;

    public static async Task RunAsync(BenchSettings settings, string folder)
    {
        var c = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();
        report.AppendLine(c, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} × {cpu}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        report.AppendLine(c, $"{settings.Rounds} rounds of {settings.Seconds} s phases; {settings.Consumers} consumer robots, each running a job; take latency from {settings.Samples} takes per queue per round");
        foreach (var wiring in settings.Wirings)
        {
            report.AppendLine();
            report.Append(await RunWiringAsync(settings, folder, wiring));
            Console.Error.WriteLine(report);
        }

        Console.WriteLine(report);
    }

    private static async Task<string> RunWiringAsync(BenchSettings settings, string folder, string wiring)
    {
        var c = CultureInfo.InvariantCulture;
        var targets = new List<Target>();
        try
        {
            // With --baseline-server, that build runs beside the one measured, and every phase runs on both in turn.
            if (settings.BaselineServer is { } baseline)
            {
                targets.Add(await Target.StartAsync(settings, folder, wiring, "before", baseline));
            }

            targets.Add(await Target.StartAsync(settings, folder, wiring, settings.BaselineServer is null ? "this build" : "after", settings.Server));
            Console.Error.WriteLine($"{wiring}: warming up …");
            foreach (var target in targets)
            {
                await target.Cycle(settings.Consumers, settings.WarmUpSeconds);
                await target.Cycle(1, settings.WarmUpSeconds);
                await target.CreateBatch(settings.WarmUpSeconds);
                await target.Alive(settings.Consumers, settings.WarmUpSeconds);
                await SampleAsync(target.Setup, target.ShallowQueue, settings.Samples);
                await target.Setup.TopUpAsync(target.ShallowQueue, ShallowDepth);
                target.ResidentShallow = target.Server.ResidentMegabytes();
            }

            // --trace cycle: a profile of the server under the 64-consumer cycle, on the build under test.
            if (settings.Trace?.Contains("cycle") == true)
            {
                var traced = targets[^1];
                var output = Path.GetFullPath($"{wiring}-cycle.{(settings.Profiler == "perf" ? "perf.data" : "nettrace")}");
                await traced.ProfileCycleAsync(settings.Consumers, 10, output, settings.Profiler == "perf");
            }

            // --trace alive: GET /alive's profile on the same server, the floor a task request's is read against.
            if (settings.Trace?.Contains("alive") == true)
            {
                var traced = targets[^1];
                var output = Path.GetFullPath($"{wiring}-alive.{(settings.Profiler == "perf" ? "perf.data" : "nettrace")}");
                await Profile.RecordAsync(traced.Server, 10, output, settings.Profiler == "perf", () => traced.Alive(settings.Consumers, 16));
            }

            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var target in targets)
                {
                    var many = settings.Consumers;
                    var aliveMany = await target.Alive(many, settings.Seconds);
                    var cycleMany = await target.Cycle(many, settings.Seconds);
                    var aliveOne = await target.Alive(1, settings.Seconds);
                    var cycleOne = await target.Cycle(1, settings.Seconds);
                    var aliveBatch = await target.Alive(many, settings.Seconds);
                    var batch = await target.CreateBatch(settings.Seconds);
                    target.Rounds.Add((aliveMany, cycleMany, aliveOne, cycleOne, aliveBatch, batch));
                    Console.Error.WriteLine(string.Create(c,
                        $"{wiring} {target.Label} round {round}: {many} consumers {Completes(cycleMany):F0} cycles/s vs /alive {aliveMany.PerSecond:F0}/s; 1 consumer {Completes(cycleOne):F0} vs {aliveOne.PerSecond:F0}; createBatch {batch.PerSecond * 1000:F0} tasks/s"));
                }
            }

            // Depth is measured on the build under test only: a baseline may fill a million tasks far too slowly.
            var deepTargets = targets.Where(t => t.Label != "before").ToList();
            foreach (var target in deepTargets)
            {
                Console.Error.WriteLine($"{wiring} {target.Label}: filling a queue to {settings.Depth} tasks …");
                var fill = Stopwatch.StartNew();
                await target.Setup.AddTasksAsync(target.DeepQueue, settings.Depth);
                target.FillRate = settings.Depth / fill.Elapsed.TotalSeconds;
                target.ResidentDeep = target.Server.ResidentMegabytes();
            }

            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var target in deepTargets)
                {
                    var shallow = await SampleAsync(target.Setup, target.ShallowQueue, settings.Samples);
                    await target.Setup.TopUpAsync(target.ShallowQueue, ShallowDepth);
                    var deep = await SampleAsync(target.Setup, target.DeepQueue, settings.Samples);
                    target.Latencies.Add((shallow, deep));
                    Console.Error.WriteLine(string.Create(c, $"{wiring} {target.Label} latency round {round}: p50 {Percentile(shallow, 50):F3} ms shallow, {Percentile(deep, 50):F3} ms deep"));
                }
            }

            var report = new StringBuilder();
            foreach (var target in targets)
            {
                target.ResidentEnd = target.Server.ResidentMegabytes();
                report.Append(Report(settings, wiring, target));
                report.AppendLine();
            }

            return report.ToString();
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    /// <summary>Takes and completes <paramref name="samples"/> tasks one after the other; answers each take's latency in ms.</summary>
    private static async Task<double[]> SampleAsync(QueueSetup setup, Guid queue, int samples)
    {
        var latencies = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var task = await setup.TakeAsync(queue) ?? throw new InvalidOperationException("The queue ran dry while sampling take latency.");
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            await setup.CompleteAsync(task);
        }

        return latencies;
    }

    private static double Completes(PhaseResult result) => result.Counts["completes"] / result.Seconds;

    private static string Report(BenchSettings settings, string wiring, Target target)
    {
        var rounds = target.Rounds;
        var latencies = target.Latencies;
        var c = CultureInfo.InvariantCulture;
        var many = settings.Consumers;
        var s = new StringBuilder();
        s.AppendLine(c, $"### {(wiring == "cluster" ? "Cluster wiring (PostgreSQL)" : "Embedded wiring (SQLite)")}, {target.Label}");
        s.AppendLine();
        s.AppendLine("Per round: cycles/s (task requests/s: takes + completes) / GET /alive req/s just before, with as many connections = ratio of requests");
        s.AppendLine();
        s.AppendLine(c, $"| round | {many} consumers | 1 consumer | createBatch tasks/s (GET /alive req/s) |");
        s.AppendLine("|---:|---:|---:|---:|");
        for (var i = 0; i < rounds.Count; i++)
        {
            var r = rounds[i];
            s.AppendLine(c, $"| {i + 1} | {Pair(r.CycleMany, r.AliveMany)} | {Pair(r.CycleOne, r.AliveOne)} | {r.Batch.PerSecond * 1000:F0} ({r.AliveBatch.PerSecond:F0}) |");
        }

        s.AppendLine();
        s.AppendLine("Medians over rounds (min–max of the per-round ratios):");
        s.AppendLine();
        s.AppendLine("| phase | per second | task requests / GET /alive | p50 ms | p99 ms | server CPU µs/req | wrk CPU µs/req | non-2xx, socket errors |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        s.AppendLine(Row($"GET /alive, {many} connections", rounds.Select(r => r.AliveMany).ToList(), null, r => r.PerSecond, "req"));
        s.AppendLine(Row($"take + complete, {many} consumers", rounds.Select(r => r.CycleMany).ToList(), rounds.Select(r => r.CycleMany.PerSecond / r.AliveMany.PerSecond).ToList(), Completes, "cycles"));
        s.AppendLine(Row("GET /alive, 1 connection", rounds.Select(r => r.AliveOne).ToList(), null, r => r.PerSecond, "req"));
        s.AppendLine(Row("take + complete, 1 consumer", rounds.Select(r => r.CycleOne).ToList(), rounds.Select(r => r.CycleOne.PerSecond / r.AliveOne.PerSecond).ToList(), Completes, "cycles"));
        s.AppendLine(Row($"createBatch, 1,000 tasks a request, {BatchConnections} connections", rounds.Select(r => r.Batch).ToList(), null, r => r.PerSecond * 1000, "tasks"));
        s.AppendLine();

        if (latencies.Count == 0)
        {
            s.AppendLine(c, $"Resident memory after the warm-up: {target.ResidentShallow:F0} MiB. (Depth is measured on the build under test only.)");
            return s.ToString();
        }

        var shallowP50 = latencies.Select(l => Percentile(l.Shallow, 50)).ToList();
        var deepP50 = latencies.Select(l => Percentile(l.Deep, 50)).ToList();
        var ratios = latencies.Select(l => Percentile(l.Deep, 50) / Percentile(l.Shallow, 50)).ToList();
        s.AppendLine(c, $"Take latency, one client, {settings.Samples} takes per queue per round, the two queues alternating:");
        s.AppendLine();
        s.AppendLine("| queue depth | p50 ms (median of rounds) | p99 ms (median of rounds) |");
        s.AppendLine("|---|---:|---:|");
        s.AppendLine(c, $"| {ShallowDepth - settings.Samples:N0}–{ShallowDepth:N0} | {Median(shallowP50):F3} | {Median(latencies.Select(l => Percentile(l.Shallow, 99))):F3} |");
        s.AppendLine(c, $"| {settings.Depth:N0} | {Median(deepP50):F3} | {Median(latencies.Select(l => Percentile(l.Deep, 99))):F3} |");
        s.AppendLine();
        s.AppendLine(c, $"Deep / shallow p50, per round: {string.Join(", ", ratios.Select(r => r.ToString("F2", c)))}; median **{Median(ratios):F2}**.");
        s.AppendLine(c, $"Filling a queue to {settings.Depth:N0} tasks (createBatch, 4 requests at a time): {target.FillRate:F0} tasks/s.");
        s.AppendLine(c, $"Server resident memory: {target.ResidentShallow:F0} MiB after the warm-up (deepest queue {ShallowDepth:N0} plus the cycle and createBatch queues), {target.ResidentDeep:F0} MiB once a queue holds {settings.Depth:N0} tasks, {target.ResidentEnd:F0} MiB after the latency rounds.");
        return s.ToString();

        string Pair(PhaseResult phase, PhaseResult alive) =>
            string.Create(c, $"{Completes(phase):F0} ({phase.PerSecond:F0}) / {alive.PerSecond:F0} = {phase.PerSecond / alive.PerSecond:F2}");

        string Row(string name, List<PhaseResult> series, List<double>? ratio, Func<PhaseResult, double> rate, string unit)
        {
            var ratioText = ratio is null ? "–" : string.Create(c, $"**{Median(ratio):F2}** ({ratio.Min():F2}–{ratio.Max():F2})");
            return string.Create(c,
                $"| {name} | {Median(series.Select(rate)):F0} {unit} | {ratioText} | {Median(series.Select(r => r.P50Ms)):F2} | {Median(series.Select(r => r.P99Ms)):F2} | {Median(series.Select(r => r.ServerCpuUs)):F1} | {Median(series.Select(r => r.WrkCpuUs)):F1} | {series.Sum(r => r.NonSuccess)}, {series.Sum(r => r.SocketErrors)} |");
        }
    }

    /// <summary>One build under test: its server (and PostgreSQL server), what was set up in it, and what was measured.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly BenchSettings _settings;
        private double _cycleRate = 5000;

        private Target(BenchSettings settings, string label, PostgresServer? postgres, ServerProcess server, QueueSetup setup)
        {
            _settings = settings;
            Label = label;
            Postgres = postgres;
            Server = server;
            Setup = setup;
            Wrk = new Wrk(settings, server, new Setup(string.Empty, string.Empty, string.Empty, string.Empty, string.Empty));
        }

        public string Label { get; }

        public PostgresServer? Postgres { get; }

        public ServerProcess Server { get; }

        public QueueSetup Setup { get; }

        public Wrk Wrk { get; }

        public Guid CycleQueue { get; private set; }

        public Guid BulkQueue { get; private set; }

        public Guid ShallowQueue { get; private set; }

        public Guid DeepQueue { get; private set; }

        public List<(PhaseResult AliveMany, PhaseResult CycleMany, PhaseResult AliveOne, PhaseResult CycleOne, PhaseResult AliveBatch, PhaseResult Batch)> Rounds { get; } = [];

        public List<(double[] Shallow, double[] Deep)> Latencies { get; } = [];

        public double FillRate { get; set; }

        public double ResidentShallow { get; set; }

        public double ResidentDeep { get; set; }

        public double ResidentEnd { get; set; }

        public static async Task<Target> StartAsync(BenchSettings settings, string folder, string wiring, string label, string dll)
        {
            var postgres = wiring == "cluster" ? await PostgresServer.StartAsync(durable: true) : null;
            var own = Path.Combine(folder, $"{wiring}-{label.Replace(' ', '-')}");
            Directory.CreateDirectory(own);
            var server = await ServerProcess.StartAsync(
                dll, Path.Combine(own, "data"), profiledByPerf: settings.Trace is not null && settings.Profiler == "perf", postgres: postgres?.ConnectionString(maxPoolSize: 100));
            Console.Error.WriteLine($"{wiring} {label}: server {server.Address} (pid {server.Id}); starting {settings.Consumers} robots' jobs …");
            var setup = await QueueSetup.CreateAsync(server.Address, settings.Consumers, own);
            var target = new Target(settings, label, postgres, server, setup)
            {
                CycleQueue = await setup.CreateQueueAsync("cycle"),
                BulkQueue = await setup.CreateQueueAsync("bulk"),
                ShallowQueue = await setup.CreateQueueAsync("shallow"),
                DeepQueue = await setup.CreateQueueAsync("deep"),
            };
            await setup.AddTasksAsync(target.ShallowQueue, ShallowDepth);
            return target;
        }

        public Task<PhaseResult> Alive(int connections, int seconds) =>
            Wrk.RunAsync(Script, "alive", seconds, Math.Min(_settings.Threads, connections), connections);

        public async Task<PhaseResult> Cycle(int connections, int seconds)
        {
            // Enough New tasks that the run never empties the queue.
            await Setup.TopUpAsync(CycleQueue, (long)(_cycleRate * seconds * 1.5) + 5000);
            var result = await Wrk.RunAsync(
                Script, "cycle", seconds, Math.Min(_settings.Threads, connections), connections, ServerProcess.AdminKey, Setup.ConsumersFile, CycleQueue.ToString());
            _cycleRate = Math.Max(_cycleRate, Completes(result));
            return result;
        }

        public async Task ProfileCycleAsync(int connections, int seconds, string output, bool perf)
        {
            await Setup.TopUpAsync(CycleQueue, (long)(_cycleRate * (seconds + 6) * 1.5) + 5000);
            await Profile.RecordAsync(Server, seconds, output, perf, () => Wrk.RunAsync(
                Script, "cycle", seconds + 6, Math.Min(_settings.Threads, connections), connections, ServerProcess.AdminKey, Setup.ConsumersFile, CycleQueue.ToString()));
        }

        public Task<PhaseResult> CreateBatch(int seconds) =>
            Wrk.RunAsync(Script, "createBatch", seconds, Math.Min(_settings.Threads, BatchConnections), BatchConnections, ServerProcess.AdminKey, BulkQueue.ToString());

        public async ValueTask DisposeAsync()
        {
            await Setup.DisposeAsync();
            Server.Dispose();
            if (Postgres is not null)
            {
                await Postgres.DisposeAsync();
            }
        }
    }

    private static double Percentile(double[] values, double percent)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
