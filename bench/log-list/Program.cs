using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Logs;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Bench;

// Log list latency with millions of rows: fills the logs table directly with SQL (the schema the silo applies, its
// indexes dropped during the fill and put back by the same installer afterwards), then times the queries
// /api/log/list runs (LogRecords.ListAsync), each many times. Arguments: --rows 10000000 --database sqlite|postgresql|both
// --repeat 21. The rows: 1,000 robots, 10,000 jobs of 1,000 consecutive lines each, 20 process versions; levels mostly
// Info (2), a third Debug (1), one in 20 Warning (3), one in 100 Error (4); one line in 100,000 says "Timeout reaching SAP".
var options = DriverArguments.Parse(args);

var rows = options.Number("rows", 10000000L);
var repeat = options.Number("repeat", 21);
var which = options.GetValueOrDefault("database", "both");
var c = CultureInfo.InvariantCulture;
var rounds = options.Number("rounds", 3);

if (options.TryGetValue("ingest", out var ingestSeconds))
{
    // The log writer alone, without HTTP: 32 writers each sending a batch and waiting for its commit, as robots do.
    // Two databases of each kind, one with the text index and one without (dropped after the schema is applied),
    // written in alternate rounds so that both see the same noise. PostgreSQL is a server of the benchmark's own
    // with its default durability (fsync and synchronous commit on), not the tests' throwaway one.
    Console.WriteLine(string.Create(c, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; 32 writers; {rounds} rounds of {ingestSeconds} s per case, with and without the text index alternating"));
    if (which is "sqlite" or "both")
    {
        var with = TempFolder.Create("bench-logingest");
        var without = TempFolder.Create("bench-logingest");
        try
        {
            await using var a = OrchestratorDatabase.Embedded(with);
            await using var b = OrchestratorDatabase.Embedded(without);
            await IngestAsync("SQLite", a, b);
        }
        finally
        {
            TempFolder.Delete(with);
            TempFolder.Delete(without);
        }
    }

    if (which is "postgresql" or "both")
    {
        await using var server = await PostgresServer.StartAsync(durable: true);
        await using (var admin = new OrchestratorDatabase(DatabaseKind.PostgreSql, server.ConnectionString()))
        {
            await admin.ExecuteAsync("CREATE DATABASE ingest_with");
            await admin.ExecuteAsync("CREATE DATABASE ingest_without");
        }

        await using var a = new OrchestratorDatabase(DatabaseKind.PostgreSql, server.ConnectionString("ingest_with"));
        await using var b = new OrchestratorDatabase(DatabaseKind.PostgreSql, server.ConnectionString("ingest_without"));
        await IngestAsync("PostgreSQL (fsync on)", a, b);
    }

    return;
}

async Task IngestAsync(string title, OrchestratorDatabase withIndex, OrchestratorDatabase withoutIndex)
{
    var accounts = new Dictionary<OrchestratorDatabase, long>();
    var writers = new Dictionary<OrchestratorDatabase, LogWriter>();
    foreach (var database in new[] { withIndex, withoutIndex })
    {
        await new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance).ApplyAsync();
        accounts[database] = await database.InsertAsync(
            "INSERT INTO accounts (guid, login, password_hash, key_hash, key_prefix, key_created, created, updated) VALUES (@guid, 'bench', 'x', 'k', 'k', 0, 0, 0) RETURNING id",
            ("@guid", Guid.NewGuid()));
        writers[database] = new LogWriter(database, NullLogger<LogWriter>.Instance);
        await writers[database].StartAsync(CancellationToken.None);
    }

    if (withoutIndex.Kind == DatabaseKind.Sqlite)
    {
        foreach (var trigger in new[] { "logs_text_insert", "logs_text_delete", "logs_text_update" })
        {
            await withoutIndex.ExecuteAsync($"DROP TRIGGER {trigger}");
        }

        await withoutIndex.ExecuteAsync("DROP TABLE logs_text");
    }
    else
    {
        await withoutIndex.ExecuteAsync("DROP INDEX ix_logs_message_trgm");
    }

    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"### Ingest, {title}"));
    Console.WriteLine();
    Console.WriteLine("| lines per write | text index | round | lines/s | CPU µs per line (this process: writer and database client; SQLite's work too) |");
    Console.WriteLine("|---:|---|---:|---:|---:|");
    var robots = Enumerable.Range(0, 32).Select(_ => Guid.NewGuid()).ToArray();
    foreach (var size in new[] { 100, 1 })
    {
        for (var round = 0; round < rounds; round++)
        {
            foreach (var database in new[] { withIndex, withoutIndex })
            {
                var writer = writers[database];
                var account = accounts[database];
                long lines = 0;
                var stopAt = Stopwatch.GetTimestamp() + (long)(double.Parse(ingestSeconds, c) * Stopwatch.Frequency);
                var began = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                await Task.WhenAll(robots.Select(robot => Task.Run(async () =>
                {
                    var job = Guid.NewGuid();
                    var n = 0;
                    while (Stopwatch.GetTimestamp() < stopAt)
                    {
                        var batch = Enumerable.Range(0, size)
                            .Select(i => new LogLine(Guid.CreateVersion7(), account, robot, job, null, i % 6, $"Invoice {n++} posted to SAP in {n % 997} ms", DateTimeOffset.UtcNow))
                            .ToList();
                        await writer.WriteAsync(batch);
                        Interlocked.Add(ref lines, size);
                    }
                })));
                var cpuPerLine = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / lines;
                Console.WriteLine(string.Create(c, $"| {size} | {(database == withIndex ? "yes" : "no")} | {round + 1} | {lines / began.Elapsed.TotalSeconds:F0} | {cpuPerLine:F1} |"));
            }
        }
    }

    foreach (var writer in writers.Values)
    {
        await writer.StopAsync(CancellationToken.None);
    }
}

Console.WriteLine(string.Create(c, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; {rows:N0} log rows; each query run {repeat} times, the first (cold) reported apart"));
if (which is "sqlite" or "both")
{
    var folder = TempFolder.Create("bench-loglist");
    try
    {
        await using var database = OrchestratorDatabase.Embedded(folder);
        await RunAsync("SQLite (embedded wiring)", database);
    }
    finally
    {
        TempFolder.Delete(folder);
    }
}

if (which is "postgresql" or "both")
{
    var server = await PostgresServer.AcquireAsync();
    try
    {
        await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, await server.CreateDatabaseAsync() + ";Command Timeout=0");
        await RunAsync("PostgreSQL (cluster wiring; the throwaway server runs with fsync off)", database);
    }
    finally
    {
        await PostgresServer.ReleaseAsync();
    }
}

async Task RunAsync(string title, OrchestratorDatabase database)
{
    var installer = new SchemaInstaller(database, NullLogger<SchemaInstaller>.Instance);
    await installer.ApplyAsync();
    var account = await database.InsertAsync(
        "INSERT INTO accounts (guid, login, password_hash, key_hash, key_prefix, key_created, created, updated) VALUES (@guid, 'bench', 'x', @key, 'k', 0, 0, 0) RETURNING id",
        ("@guid", Guid.NewGuid()),
        ("@key", Guid.NewGuid().ToString("N")));
    var sqlite = database.Kind == DatabaseKind.Sqlite;

    var fill = Stopwatch.StartNew();
    var indexes = await database.QueryAsync(
        sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs' AND sql IS NOT NULL"
            : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'logs' AND indexname LIKE 'ix_%'",
        r => r.GetString(0));
    foreach (var index in indexes)
    {
        await database.ExecuteAsync($"DROP INDEX {index}");
    }

    if (sqlite)
    {
        // The text index too: the installer creates it again after the fill and fills it in one pass.
        foreach (var trigger in new[] { "logs_text_insert", "logs_text_delete", "logs_text_update" })
        {
            await database.ExecuteAsync($"DROP TRIGGER IF EXISTS {trigger}");
        }

        await database.ExecuteAsync("DROP TABLE IF EXISTS logs_text");
    }

    const long chunk = 1_000_000;
    var start = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds();
    for (long from = 1; from <= rows; from += chunk)
    {
        var to = Math.Min(rows, from + chunk - 1);
        var series = sqlite
            ? "WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to) SELECT i FROM n"
            : "SELECT generate_series(@from::bigint, @to::bigint) AS i";
        string Hex(string expression, string prefix) => sqlite
            ? $"printf('{prefix}%012x', {expression})"
            : $"'{prefix}' || lpad(to_hex({expression}), 12, '0')";
        await database.ExecuteAsync(
            $"""
            INSERT INTO logs (guid, account_id, robot_guid, robot_id, job_guid, job_id, process_version_guid, process_version_id, level, message, created_at, updated_at)
            SELECT {Hex("i", "00000000-0000-7000-8000-")}, @account,
                   {Hex("i % 1000", "00000000-0000-4000-8000-")}, NULL,
                   {Hex("i / 1000", "00000000-0000-4000-9000-")}, i / 1000,
                   {Hex("(i / 1000) % 20", "00000000-0000-4000-a000-")}, (i / 1000) % 20,
                   CASE WHEN (i + i / 1000 * 37) % 100 = 0 THEN 4 WHEN (i + i / 1000 * 37) % 20 = 0 THEN 3 WHEN (i + i / 1000 * 37) % 3 = 0 THEN 1 ELSE 2 END,
                   CASE WHEN i % 100000 = 7 THEN 'Step ' || i || ': Timeout reaching SAP after 30000 ms'
                        ELSE 'Invoice ' || i || ' posted to SAP in ' || (i % 997) || ' ms' END,
                   @start + i * 250, @start + i * 250
            FROM ({series}) AS numbers
            """,
            ("@from", from),
            ("@to", to),
            ("@account", account),
            ("@start", start));
        Console.Error.Write(string.Create(c, $"\r{title}: {to:N0} rows in {fill.Elapsed.TotalSeconds:F0} s"));
    }

    var filled = fill.Elapsed;
    await installer.ApplyAsync();
    var indexed = fill.Elapsed - filled;
    if (!sqlite)
    {
        // As autovacuum leaves an insert-only table: statistics, and the visibility map index-only scans need.
        await database.ExecuteAsync("VACUUM ANALYZE logs");
    }

    Console.Error.WriteLine();
    var size = sqlite
        ? await database.ScalarAsync("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        : await database.ScalarAsync("SELECT pg_total_relation_size('logs')");
    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"### {title}"));
    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"Filled in {filled.TotalSeconds:F0} s, indexed by the schema installer in {indexed.TotalSeconds:F0} s; {size / 1048576.0:F0} MiB."));
    Console.WriteLine();
    Console.WriteLine("| query (Take 100 unless said) | rows answered | cold ms | median ms | p90 ms | max ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");

    var records = new LogRecords(database);
    Guid Robot(long n) => Guid.Parse(string.Create(c, $"00000000-0000-4000-8000-{n:x12}"));
    Guid Job(long n) => Guid.Parse(string.Create(c, $"00000000-0000-4000-9000-{n:x12}"));
    Guid Version(long n) => Guid.Parse(string.Create(c, $"00000000-0000-4000-a000-{n:x12}"));
    var middle = rows / 2;
    var cases = new (string Name, LogFilter Filter)[]
    {
        ("unfiltered, newest page", new LogFilter()),
        ("unfiltered, a page back from the middle (Before)", new LogFilter(Before: middle)),
        ("robot", new LogFilter(RobotGuid: Robot(421))),
        ("robot and MinLevel 3 (Warning and above: 5% of its lines)", new LogFilter(RobotGuid: Robot(421), MinLevel: 3)),
        ("robot and MinLevel 4 (Error: 1% of its lines)", new LogFilter(RobotGuid: Robot(421), MinLevel: 4)),
        ("robot and MinLevel 3, a page back from the middle (Before)", new LogFilter(RobotGuid: Robot(421), MinLevel: 3, Before: middle)),
        ("MinLevel 4, no robot", new LogFilter(MinLevel: 4)),
        ("job (1,000 lines)", new LogFilter(JobGuid: Job(rows / 3000))),
        ("process version", new LogFilter(ProcessVersionGuid: Version(7))),
        ("robot, a day's time range", new LogFilter(RobotGuid: Robot(421), From: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250)), To: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250) + 86_400_000))),
        ("a day's time range, no robot", new LogFilter(From: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250)), To: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250) + 86_400_000))),
        ("follow (After), robot and MinLevel 3, from the middle", new LogFilter(RobotGuid: Robot(421), MinLevel: 3, After: middle)),
        ("text, common (\"posted to SAP\")", new LogFilter(Text: "posted to SAP")),
        ("text, rare (\"Timeout reaching\": 1 line in 100,000)", new LogFilter(Text: "Timeout reaching")),
        ("text, rare, with robot", new LogFilter(RobotGuid: Robot(7), Text: "Timeout reaching")),
        ("text, absent (\"no such words\")", new LogFilter(Text: "no such words")),
        ("text, common, with robot", new LogFilter(RobotGuid: Robot(7), Text: "posted to SAP")),
        ("text, absent, with robot", new LogFilter(RobotGuid: Robot(7), Text: "no such words")),
        ("text, rare, a page back from the middle (Before)", new LogFilter(Text: "Timeout reaching", Before: middle)),
        ("text, rare, MinLevel 3", new LogFilter(Text: "Timeout reaching", MinLevel: 3)),
        ("text under 3 characters (\"XQ\", absent: the scan)", new LogFilter(Text: "XQ")),
        ("the last day's time range, no robot", new LogFilter(From: DateTimeOffset.FromUnixTimeMilliseconds(start + (rows * 250) - 86_400_000))),
        ("a day's time range, no robot, followed (After) from its start", new LogFilter(From: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250)), To: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250) + 86_400_000), After: 0)),
        ("a day's time range and MinLevel 4, no robot", new LogFilter(MinLevel: 4, From: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250)), To: DateTimeOffset.FromUnixTimeMilliseconds(start + (middle * 250) + 86_400_000))),
    };
    foreach (var (name, filter) in cases)
    {
        var times = new List<double>();
        var answered = 0;
        // A query that scans runs until 10 s are spent on it, and at least twice (cold, then warm).
        var spent = Stopwatch.StartNew();
        for (var run = 0; run < repeat && (run < 2 || spent.Elapsed.TotalSeconds < 10); run++)
        {
            var began = Stopwatch.GetTimestamp();
            answered = (await records.ListAsync(account, filter)).Count;
            times.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        }

        var warm = times.Skip(1).Order().ToList();
        var runs = times.Count;
        Console.WriteLine(string.Create(c,
            $"| {name}{(runs < repeat ? $" ({runs} runs)" : "")} | {answered} | {times[0]:F1} | {warm[warm.Count / 2]:F2} | {warm[(int)Math.Ceiling(warm.Count * 0.9) - 1]:F2} | {warm[^1]:F2} |"));
    }
}
