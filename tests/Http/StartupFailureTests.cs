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

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Orchestrator.Silo.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add($"--Orchestrator:DataPath={Path.Combine(_dataPath, "data")}");
        start.ArgumentList.Add($"--Orchestrator:SiloPort={FreePort.Next()}");
        start.ArgumentList.Add($"--Orchestrator:GatewayPort={FreePort.Next()}");
        if (setting == "Orchestrator:AdvertisedIP")
        {
            start.ArgumentList.Add("--ConnectionStrings:Orchestrator=Host=127.0.0.1;Port=1");
        }

        start.ArgumentList.Add($"--{setting}={value}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}: {errors}{await output}");
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("The orchestrator stopped: ", line);
        Assert.Contains(setting, line);
        Assert.DoesNotContain("Unhandled exception", await output);
    }

    public void Dispose() => TempFolder.Delete(_dataPath);
}
