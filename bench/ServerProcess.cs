using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Bench;

/// <summary>
/// The orchestrator under test: the published <c>Orchestrator.Silo.dll</c> in a process of its own, on the
/// embedded wiring with a throwaway data folder, so that nothing of the load generator runs inside it.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    public const string AdminKey = "benchmark-administrator-key-0123456789abcdef";

    private readonly Process _process;
    private readonly string _dataPath;

    private ServerProcess(Process process, string dataPath, Uri address)
    {
        _process = process;
        _dataPath = dataPath;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    /// <summary>Starts the server: embedded, or on the cluster wiring when <paramref name="postgres"/> names a database.</summary>
    public static async Task<ServerProcess> StartAsync(string dll, string dataPath, bool profiledByPerf = false, string? postgres = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.GetFullPath(dll));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Orchestrator__DataPath"] = dataPath;
        start.Environment["Orchestrator__AdminKey"] = AdminKey;
        start.Environment["Orchestrator__SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["Orchestrator__GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (postgres is not null)
        {
            start.Environment["ConnectionStrings__Orchestrator"] = postgres;
            start.Environment["Orchestrator__SecretKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        if (profiledByPerf)
        {
            // Names for JIT-compiled code in /tmp/perf-<pid>.map; without W^X, so that perf sees that code at the
            // addresses the map gives rather than in an anonymous double mapping.
            start.Environment["DOTNET_PerfMapEnabled"] = "1";
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("server: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, dataPath, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} before it answered.");
            }

            try
            {
                using var response = await http.GetAsync("/alive");
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not answering yet.
            }
        }

        server.Dispose();
        throw new TimeoutException("The server did not answer /alive within 90 s.");
    }

    /// <summary>User + system CPU the server has used since it started, from <c>/proc</c>.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");

        // Fields after the command name, which is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>The server's resident memory in MiB, from <c>/proc</c>.</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
