namespace Orchestrator.Bench;

/// <summary>What one timed phase measured: requests per second and latency percentiles in milliseconds.</summary>
public sealed record PhaseResult(string Name, long Requests, long Failures, double PerSecond, double P50, double P99)
{
    public static PhaseResult From(string name, List<double> latencies, long failures, TimeSpan elapsed)
    {
        latencies.Sort();
        return new PhaseResult(
            name,
            latencies.Count,
            failures,
            latencies.Count / elapsed.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
