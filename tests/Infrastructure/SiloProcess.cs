using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// An orchestrator silo in a process of its own (the built <c>Orchestrator.Silo.dll</c>), so that a test can
/// kill it outright, as a crash or a lost machine would.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<SiloProcess> StartAsync(IDictionary<string, string> settings)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Orchestrator.Silo.dll"));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");

        // Drain its output so that a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The silo process exited with {process.ExitCode} before it answered.");
            }

            try
            {
                using var response = await http.GetAsync("/alive");
                if (response.IsSuccessStatusCode)
                {
                    return silo;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
        }

        silo.Kill();
        throw new TimeoutException("The silo process did not answer /alive within 90 s.");
    }

    public ApiClient Client(string key = OrchestratorTestHost.AdminKey) => new(Address, key);

    /// <summary>
    /// An Orleans client that reaches the grains through the gateway of an embedded-wiring silo (localhost
    /// clustering, cluster and service id "test"), for what has no HTTP call yet, such as queuing a command.
    /// </summary>
    public static async Task<IHost> ConnectClientAsync(int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId: "test", clusterId: "test"));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Ends the process at once: no graceful shutdown, no deactivations, no membership goodbye.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
