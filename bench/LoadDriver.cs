using System.Diagnostics;

namespace Orchestrator.Bench;

/// <summary>Runs a fixed number of concurrent workers for a fixed time, each sending one request after another.</summary>
public static class LoadDriver
{
    public static async Task<PhaseResult> RunAsync(string name, int workers, TimeSpan duration, Func<int, long, Task<bool>> send)
    {
        var latencies = new List<double>[workers];
        var failures = new long[workers];
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var own = latencies[worker] = new List<double>(64 * 1024);
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
        var elapsed = started.Elapsed;
        return PhaseResult.From(name, latencies.SelectMany(l => l).ToList(), failures.Sum(), elapsed);
    }
}
