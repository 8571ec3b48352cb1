using System.Diagnostics;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>
/// A silo process that cannot start says why in one line naming the setting at fault, and exits with 1: not an
/// unhandled exception's stack trace and an abort (134).
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly string _dataPath = TempFolder.Create("startup");

    [Theory]
    [InlineData("Orchestrator:SiloPort", "70000")]
    [InlineData("Orchestrator:GatewayPort", "0")]
    [InlineData("Orchestrator:SiloPort", "eleven")]
    [InlineData("Orchestrator:ClusterId", "")]
    [InlineData("Orchestrator:DataPath", "a file")]
    [InlineData("Orchestrator:AdvertisedIP", "silo-1.example")]
    [InlineData("ConnectionStrings:Orchestrator", "Host=;;;=x")]
    public async Task A_bad_setting_is_named_in_one_line_and_the_process_exits_with_1(string setting, string value)
    {
        if (value == "a file")
        {
            value = Path.Combine(_dataPath, "not-a-folder");
            await File.WriteAllTextAsync(value, "x");
        }

        var arguments = new List<string> { $"--Orchestrator:SiloPort={FreePort.Next()}", $"--Orchestrator:GatewayPort={FreePort.Next()}" };
        if (setting == "Orchestrator:AdvertisedIP")
        {
            arguments.Add("--ConnectionStrings:Orchestrator=Host=127.0.0.1;Port=1");
        }

        arguments.Add($"--{setting}={value}");
        var (exitCode, errors) = await RunAsync([.. arguments]);

        Assert.True(exitCode == 1, $"exit {exitCode}: {errors}");
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("The orchestrator stopped: ", line);
        Assert.Contains(setting, line);
    }

    [Fact]
    public async Task A_setting_nothing_reads_is_named_in_a_warning()
    {
        // Misspelt, beside a port out of range so that the process stops at once.
        var (exitCode, errors) = await RunAsync("--Orchestrator:Jobs:StartTimout=00:02:00", "--Orchestrator:SiloPort=0", "--Orchestrator:Jobs:StartTimeout=00:02:00");

        Assert.Equal(1, exitCode);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Warning: the setting Orchestrator:Jobs:StartTimout is not one the orchestrator reads (a misspelling?); it is ignored.", Assert.Single(lines, l => l.StartsWith("Warning")));
        Assert.Contains(lines, l => l.StartsWith("The orchestrator stopped: ") && l.Contains("Orchestrator:SiloPort"));
    }

    private async Task<(int ExitCode, string Errors)> RunAsync(params string[] arguments)
    {
        var start = SiloProcess.StartInfo();
        start.ArgumentList.Add($"--Orchestrator:DataPath={Path.Combine(_dataPath, "data")}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await output;
        return (process.ExitCode, errors);
    }

    public void Dispose() => TempFolder.Delete(_dataPath);
}
