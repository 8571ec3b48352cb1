using System.Diagnostics;
using Npgsql;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server: initdb into a temp folder, started on a free loopback port. The tests share one
/// (<see cref="AcquireAsync"/>), stopped and removed when the last test that holds it lets go (a test process is
/// given no time to clean up at exit); a benchmark starts one of its own (<see cref="StartAsync"/>) and disposes it.
/// initdb and postgres refuse to run as root, so as root they run as the unprivileged <c>postgres</c> user
/// (override with ORCHESTRATOR_TEST_PG_USER); the binaries are found under <c>/usr/lib/postgresql/*/bin</c> or in
/// ORCHESTRATOR_TEST_PG_BIN.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _running;
    private static int _holders;

    private readonly string _bin;
    private readonly string _folder;
    private readonly string? _runAs;

    private PostgresServer(string bin, string folder, string? runAs, int port)
    {
        _bin = bin;
        _folder = folder;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server shared by the tests that hold it, started when the first of them asks.</summary>
    public static async Task<PostgresServer> AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _running ??= await StartAsync(durable: false);
            _holders++;
            return _running;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Lets go of the server; the last holder stops it and removes its folder.</summary>
    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_holders == 0 && _running is { } server)
            {
                _running = null;
                await server.StopAsync();
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database of its own for one fixture and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "orchestrator_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>
    /// The connection string of one of the server's databases. Every fixture's silos keep their own pools on this one
    /// server, and a pool keeps what a burst opened for five minutes by default: idle connections are let go after
    /// seconds here, so the fixtures alive at once fit.
    /// </summary>
    public string ConnectionString(string database = "postgres", int maxPoolSize = 50) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size={maxPoolSize};Timeout=15;" +
        "Connection Idle Lifetime=5;Connection Pruning Interval=1";

    /// <summary>Stops a server of the caller's own (<see cref="StartAsync"/>) and removes its folder.</summary>
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>
    /// Starts a server of the caller's own, stopped when disposed. Not <paramref name="durable"/>: fsync off, as the
    /// tests run (their data is thrown away, and it makes the suite several times faster). Durable: PostgreSQL's
    /// default durability (fsync and synchronous commit on, as a production server runs), for benchmarks.
    /// <paramref name="settings"/>: more <c>-c name=value</c> options for the server, as a benchmark's breakdown needs.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(bool durable, string settings = "")
    {
        var bin = FindBinaries();
        var runAs = Environment.UserName == "root" ? Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_PG_USER") ?? "postgres" : null;
        var folder = TempFolder.Create("pg");
        if (runAs is not null)
        {
            await RunAsync("chown", $"{runAs} {folder}");
        }

        var data = Path.Combine(folder, "data");
        await new PostgresServer(bin, folder, runAs, 0).RunPostgresToolAsync("initdb", $"-D {data} -U postgres --auth=trust -E UTF8 --no-locale");

        // postgres cannot be told to listen on port 0 and report the port it got: a free port is picked, and
        // picked again when another process took it first.
        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(bin, folder, runAs, FreePort.Next());
            var log = Path.Combine(folder, $"server-{attempt}.log");

            var options = $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=1000 " +
                (durable ? "-c shared_buffers=256MB" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off") + " " + settings;
            try
            {
                await server.RunPostgresToolAsync("pg_ctl", $"start -w -t 60 -D {data} -l {log} -o \"{options}\"");
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5 && File.Exists(log) && File.ReadAllText(log).Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another process bound the port between our pick and the server's bind.
            }
        }
    }

    private async Task StopAsync()
    {
        try
        {
            await RunPostgresToolAsync("pg_ctl", $"stop -w -D {Path.Combine(_folder, "data")} -m fast");
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not remove the throwaway PostgreSQL server in {_folder}: {e.Message}");
        }
    }

    private Task RunPostgresToolAsync(string tool, string arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _runAs is null
            ? RunAsync(path, arguments)
            : RunAsync("runuser", $"-u {_runAs} -- {path} {arguments}");
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' exited with {process.ExitCode}: {await output} {await error}");
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
            "No PostgreSQL server binaries found under /usr/lib/postgresql; install PostgreSQL (apt-get install postgresql) or set ORCHESTRATOR_TEST_PG_BIN.");
    }
}
