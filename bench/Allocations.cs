using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// Bytes the server allocates per request of an endpoint: <c>dotnet-counters</c> records the runtime's
/// allocation counter (<c>dotnet.gc.heap.total_allocated</c>, bytes per second) once a second while wrk
/// runs; the mean of the seconds wholly inside the run, divided by wrk's request rate.
/// </summary>
public static class Allocations
{
    public static async Task<(double BytesPerRequest, PhaseResult Phase)?> MeasureAsync(Wrk wrk, ServerProcess server, string endpoint, int seconds)
    {
        var file = Path.Combine(Path.GetTempPath(), $"orchestrator-bench-counters-{Guid.NewGuid():N}.csv");
        var start = new ProcessStartInfo("dotnet-counters")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "collect", "-p", server.Id.ToString(CultureInfo.InvariantCulture),
            "--counters", "System.Runtime[dotnet.gc.heap.total_allocated]",
            "--refresh-interval", "1", "--format", "csv", "-o", file,
            "--duration", TimeSpan.FromSeconds(seconds + 6).ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process? counters;
        try
        {
            counters = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // dotnet-counters is not installed: bytes per request are left out.
        }

        if (counters is null)
        {
            return null;
        }

        using (counters)
        {
            _ = counters.StandardOutput.ReadToEndAsync();
            _ = counters.StandardError.ReadToEndAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var from = DateTime.Now;
            var phase = await wrk.RunAsync(endpoint, seconds);
            var to = DateTime.Now;
            await counters.WaitForExitAsync();
            var rates = ReadRates(file, from.AddSeconds(1), to.AddSeconds(-0.5));
            File.Delete(file);
            return rates.Count == 0 ? null : (rates.Average() / phase.PerSecond, phase);
        }
    }

    /// <summary>The allocation rates (bytes/s) recorded between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private static List<double> ReadRates(string file, DateTime from, DateTime to)
    {
        var rates = new List<double>();
        if (!File.Exists(file))
        {
            return rates;
        }

        // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length < 5 || !fields[2].Contains("total_allocated", StringComparison.Ordinal)
                || !DateTime.TryParse(fields[0], CultureInfo.CurrentCulture, DateTimeStyles.AssumeLocal, out var at) || at < from || at > to)
            {
                continue;
            }

            rates.Add(double.Parse(fields[^1], CultureInfo.InvariantCulture));
        }

        return rates;
    }
}
