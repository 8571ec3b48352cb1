using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// An orchestrator silo in a process of its own (the built <c>Orchestrator.Silo.dll</c>), so that a test can
/// kill it outright, as a crash or a lost machine would.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, Uri address, int gatewayPort)
    {
        _process = process;
        Address = address;
        GatewayPort = gatewayPort;
    }

    public Uri Address { get; }

    /// <summary>The Orleans gateway port the silo listens on, for <see cref="ConnectClientAsync"/>.</summary>
    public int GatewayPort { get; }

    /// <summary>
    /// Starts a silo process with <paramref name="settings"/> (configuration keys). HTTP listens on port 0 and the
    /// process's log tells which port it got; the Orleans ports, unless the settings name them, are picked free and
    /// picked again when another process took one before the silo could bind it.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(IDictionary<string, string> settings)
    {
        var portsAreOurs = !settings.ContainsKey("Orchestrator:SiloPort") && !settings.ContainsKey("Orchestrator:GatewayPort");
        for (var attempt = 1; ; attempt++)
        {
            var all = new Dictionary<string, string>(settings);
            if (portsAreOurs)
            {
                all["Orchestrator:SiloPort"] = FreePort.Next().ToString();
                all["Orchestrator:GatewayPort"] = FreePort.Next().ToString();
            }

            var (silo, output) = await TryStartAsync(all);
            if (silo is not null)
            {
                return silo;
            }

            if (!(portsAreOurs && attempt < 5 && output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"The silo process did not start:{Environment.NewLine}{output}");
            }
        }
    }

    /// <summary>How to run the built silo with its output read by the caller, HTTP on a free port; the caller adds settings.</summary>
    public static ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Orchestrator.Silo.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        return start;
    }

    private static async Task<(SiloProcess? Silo, string Output)> TryStartAsync(Dictionary<string, string> settings)
    {
        var start = StartInfo();
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");

        // Drain its output so that a full pipe never blocks it; keep the start of it for the error message, and
        // read the HTTP address from the host's "Now listening on" line.
        var output = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                if (output.Length < 64 * 1024)
                {
                    output.AppendLine(line);
                }
            }

            const string marker = "Now listening on: ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != listening.Task)
        {
            var ended = first == exited;
            Stop(process);
            process.Dispose();
            return (null, (ended ? "It exited before it listened." : "It did not listen within 90 s.") + Environment.NewLine + Output());
        }

        var silo = new SiloProcess(process, await listening.Task, int.Parse(settings["Orchestrator:GatewayPort"]));
        using var http = new HttpClient { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (process.HasExited)
            {
                silo.Dispose();
                return (null, $"It exited with {process.ExitCode} before it answered." + Environment.NewLine + Output());
            }

            try
            {
                using var response = await http.GetAsync("/alive");
                if (response.IsSuccessStatusCode)
                {
                    return (silo, Output());
                }
            }
            catch (HttpRequestException)
            {
                // Not answering yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
        }

        silo.Dispose();
        throw new TimeoutException("The silo process did not answer /alive within 90 s." + Environment.NewLine + Output());
    }

    /// <summary>
    /// What a silo process of the embedded wiring on <paramref name="dataPath"/> needs: the in-process hosts' administrator
    /// key and cluster names, so that one started afterwards on the same folder finds what this one stored.
    /// </summary>
    public static Dictionary<string, string> EmbeddedSettings(string dataPath) => new()
    {
        ["Orchestrator:DataPath"] = dataPath,
        ["Orchestrator:AdminKey"] = OrchestratorTestHost.AdminKey,
        ["Orchestrator:ClusterId"] = "test",
        ["Orchestrator:ServiceId"] = "test",
    };

    public ApiClient Client(string key = OrchestratorTestHost.AdminKey) => new(Address, key);

    /// <summary>
    /// An Orleans client that reaches the grains through this silo's gateway only (cluster and service id
    /// "test"), for what has no HTTP call yet, such as queuing a command.
    /// </summary>
    public async Task<IHost> ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, GatewayPort))
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("test", "test")));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Ends the process at once: no graceful shutdown, no deactivations, no membership goodbye.</summary>
    public void Kill() => Stop(_process);

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
