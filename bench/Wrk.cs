using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>Runs <c>wrk</c> with <c>lua/bench.lua</c> against one endpoint and reads what it measured.</summary>
public sealed class Wrk(BenchSettings settings, ServerProcess server, Setup setup)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "lua");

    public Task<PhaseResult> RunAsync(string endpoint, int seconds) =>
        RunAsync("bench.lua", endpoint, seconds, settings.Threads, settings.Connections, endpoint == "list" ? setup.ListKey : ServerProcess.AdminKey, setup.FileFor(endpoint));

    /// <summary>Runs one mode of a script of <c>lua/</c> with <paramref name="scriptArguments"/> after the mode's name.</summary>
    public async Task<PhaseResult> RunAsync(string script, string endpoint, int seconds, int threads, int connections, params string[] scriptArguments)
    {
        // bash's `times` reports the CPU its children (wrk) used: the generator's own cost.
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-c", "wrk \"$@\"; status=$?; times >&2; exit $status", "bash",
            "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds}s",
            "--timeout", "10s",
            "-s", Path.Combine(Folder, script),
            server.Address.ToString(),
            "--", endpoint,
        }.Concat(scriptArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var cpuBefore = server.CpuSeconds();
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk (is it installed? see bench/README.md).");
        var output = wrk.StandardOutput.ReadToEndAsync();
        var errors = wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var serverCpu = server.CpuSeconds() - cpuBefore;
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}):\n{await output}\n{await errors}");
        }

        return PhaseResult.Parse(endpoint, await output, serverCpu, ChildrenCpuSeconds(await errors));
    }

    /// <summary>The second line of <c>times</c>: children's user and system time, as <c>0m1.234s 0m0.567s</c>.</summary>
    private static double ChildrenCpuSeconds(string timesOutput)
    {
        var lines = timesOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Sum(ParseDuration);
    }

    private static double ParseDuration(string text)
    {
        var m = text.IndexOf('m', StringComparison.Ordinal);
        return (double.Parse(text[..m], CultureInfo.InvariantCulture) * 60) + double.Parse(text[(m + 1)..].TrimEnd('s'), CultureInfo.InvariantCulture);
    }
}
