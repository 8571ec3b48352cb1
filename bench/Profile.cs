using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// Records where the server's CPU goes under one endpoint's load: <c>dotnet-trace</c> with the
/// <c>dotnet-sampled-thread-time</c> profile (what earlier versions called cpu-sampling) while wrk runs, written to a <c>.nettrace</c> file for
/// <c>bench/profile.py</c> (or PerfView, or speedscope after <c>dotnet-trace convert</c>).
/// </summary>
public static class Profile
{
    public static async Task<string> RecordAsync(Wrk wrk, ServerProcess server, string endpoint, int seconds, string output, bool perf)
    {
        var phase = await RecordAsync(server, seconds, output, perf, () => wrk.RunAsync(endpoint, seconds + 6));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{endpoint}: {phase.PerSecond:F0} req/s while recording"));
        return output;
    }

    /// <summary>Records for <paramref name="seconds"/> while <paramref name="load"/> runs; answers the load's result.</summary>
    public static async Task<PhaseResult> RecordAsync(ServerProcess server, int seconds, string output, bool perf, Func<Task<PhaseResult>> load)
    {
        var pid = server.Id.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(perf ? "perf" : "dotnet-trace")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // perf samples what is on a CPU, native code and the kernel included (the server writes a perf map so
        // that JIT-compiled frames have names); dotnet-trace samples managed stacks of every thread.
        string[] arguments = perf
            ? ["record", "-F", "997", "-g", "-p", pid, "-o", output, "--", "sleep", seconds.ToString(CultureInfo.InvariantCulture)]
            : ["collect", "-p", pid, "--profile", "dotnet-sampled-thread-time",
               "--duration", TimeSpan.FromSeconds(seconds).ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", output];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var trace = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet-trace.");
        var log = trace.StandardOutput.ReadToEndAsync();
        var errors = trace.StandardError.ReadToEndAsync();

        // wrk runs past both ends of the recording, so that it records only the steady state.
        var running = load();
        await trace.WaitForExitAsync();
        var phase = await running;
        var written = (await log) + (await errors);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{output}: {phase.PerSecond:F0} req/s while recording; {written}"));
        return phase;
    }
}
