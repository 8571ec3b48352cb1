using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Bench;

/// <summary>
/// A PostgreSQL server of the benchmark's own for the cluster wiring: initdb into a temp folder, started on a
/// free loopback port with PostgreSQL's default durability (fsync and synchronous commit on, as a production
/// server runs), stopped and removed at the end. initdb and postgres refuse to run as root, so as root they
/// run as the unprivileged <c>postgres</c> user (ORCHESTRATOR_TEST_PG_USER names another); the binaries are
/// found under <c>/usr/lib/postgresql/*/bin</c> or in ORCHESTRATOR_TEST_PG_BIN, as the tests find them.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly string? _runAs;

    private ThrowawayPostgres(string bin, string folder, string? runAs, int port)
    {
        _bin = bin;
        _folder = folder;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100;Timeout=15");

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var bin = FindBinaries();
        var runAs = Environment.UserName == "root" ? Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_PG_USER") ?? "postgres" : null;
        var folder = Directory.CreateTempSubdirectory("orchestrator-bench-pg-").FullName;
        if (runAs is not null)
        {
            await RunAsync("chown", [runAs, folder]);
        }

        var data = Path.Combine(folder, "data");
        var server = new ThrowawayPostgres(bin, folder, runAs, FreePort());
        await server.ToolAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]);
        var options = $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB";
        await server.ToolAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options]);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ToolAsync("pg_ctl", ["stop", "-w", "-D", Path.Combine(_folder, "data"), "-m", "fast"]);
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not remove the benchmark's PostgreSQL server in {_folder}: {e.Message}");
        }
    }

    private Task ToolAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _runAs is null ? RunAsync(path, arguments) : RunAsync("runuser", ["-u", _runAs, "--", path, .. arguments]);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {await output} {await error}");
        }
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries under /usr/lib/postgresql: apt-get install postgresql, or set ORCHESTRATOR_TEST_PG_BIN.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
