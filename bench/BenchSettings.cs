using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>The knobs of a benchmark run, from <c>--name value</c> arguments.</summary>
public sealed record BenchSettings(
    string Server,
    int Robots,
    int ListRobots,
    int Threads,
    int Connections,
    int Seconds,
    int Rounds,
    int WarmUpSeconds,
    string[] Endpoints,
    bool Counters,
    string[]? Trace,
    string Profiler,
    string Suite,
    string[] Wirings,
    int Consumers,
    int Depth,
    int Samples,
    string? BaselineServer)
{
    public static BenchSettings Parse(string[] args)
    {
        var values = DriverArguments.Parse(args);

        return new BenchSettings(
            values.TryGetValue("server", out var server) ? server : throw new ArgumentException("--server <path of the published Orchestrator.Silo.dll> is required."),
            Read(values, "robots", 1000),
            Read(values, "list-robots", 100),
            Read(values, "threads", 2),
            Read(values, "connections", 64),
            Read(values, "seconds", 3),
            Read(values, "rounds", 9),
            Read(values, "warm-up", 8),
            values.TryGetValue("endpoints", out var endpoints) ? endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : Endpoint.All,
            Read(values, "counters", true),
            values.TryGetValue("trace", out var trace) ? trace.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
            values.TryGetValue("profiler", out var profiler) ? profiler : "dotnet-trace",
            values.TryGetValue("suite", out var suite) ? suite : "request-path",
            values.TryGetValue("wirings", out var wirings) ? wirings.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : ["embedded", "cluster"],
            Read(values, "consumers", 64),
            Read(values, "depth", 1_000_000),
            Read(values, "samples", 500),
            values.TryGetValue("baseline-server", out var baseline) ? baseline : null);
    }

    private static T Read<T>(Dictionary<string, string> values, string name, T fallback)
        where T : IParsable<T> =>
        values.TryGetValue(name, out var text) ? T.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
