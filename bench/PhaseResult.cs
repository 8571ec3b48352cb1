using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// What one wrk run measured: its own counts and latency percentiles (from <c>done()</c> in bench.lua),
/// plus the CPU the server and wrk spent meanwhile.
/// </summary>
public sealed record PhaseResult(
    string Endpoint,
    long Requests,
    double Seconds,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    long NonSuccess,
    long SocketErrors,
    double ServerCpuSeconds,
    double WrkCpuSeconds)
{
    public double PerSecond => Requests / Seconds;

    /// <summary>Every count of the <c>BENCH</c> line, those of a mode's own included (e.g. <c>completes</c>).</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>Server CPU per request, in microseconds.</summary>
    public double ServerCpuUs => ServerCpuSeconds * 1e6 / Requests;

    /// <summary>wrk's CPU per request, in microseconds: the generator's share of the machine.</summary>
    public double WrkCpuUs => WrkCpuSeconds * 1e6 / Requests;

    /// <summary>Parses the <c>BENCH key=value …</c> line that bench.lua prints.</summary>
    public static PhaseResult Parse(string endpoint, string wrkOutput, double serverCpuSeconds, double wrkCpuSeconds)
    {
        var line = wrkOutput.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no BENCH line:\n" + wrkOutput);
        var fields = line[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('='))
            .ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture));
        return new PhaseResult(
            endpoint,
            fields["requests"],
            fields["duration_us"] / 1e6,
            fields["p50_us"] / 1e3,
            fields["p90_us"] / 1e3,
            fields["p99_us"] / 1e3,
            fields["non2xx"],
            fields["connect"] + fields["read"] + fields["write"] + fields["timeout"],
            serverCpuSeconds,
            wrkCpuSeconds)
        {
            Counts = fields,
        };
    }
}
