using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Bench;

// Triggers measured from outside the orchestrator: many triggers due in the same second, and how late their jobs are.
//   1. creates --triggers cron triggers (6 fields) all due at the same second T, a little after the last is created;
//   2. --robots robots long-poll their heartbeat meanwhile; each records when its first StartJob arrives;
//   3. reads the jobs from the database (created_at and scheduled_at are stored to the millisecond): the skew from
//      the occurrence to each job's creation (p50, p99), duplicates (more than one job for a trigger) and misses (none).
// On PostgreSQL it also reports the server's transactions over the same span and how many trigger row updates stayed in
// their page (HOT); with --pg-activity 1 what the sessions of the orchestrator's database were doing during the fire
// (pg_stat_activity, sampled every 50 ms); and with --pg-statements 1 the statements it ran most often over the span
// (pg_stat_statements), with how many plans were made and a call's mean planning and execution time.
// Usage: dotnet bench/triggers/bin/Release/net10.0/Orchestrator.TriggersBench.dll --url http://127.0.0.1:5732[,http://…] --key <admin key>
//        (--sqlite <data folder>/orchestrator.db | --postgres <connection string>) [--triggers 10000] [--robots 100] [--lead 20]
//        [--warm-up-triggers <n>]: first a fire of n triggers of another account, so that the measured fire runs on silos
//        that have fired before (compiled code), not on freshly started ones;
//        [--silo-pid <pid>[,<pid>…]]: the silos' processes on this machine; their CPU time (user + system, from /proc) from
//        6 s before the occurrence (before any preparation) until every job is seen is reported per 1,000 fires, a figure
//        that a shared machine's load disturbs far less than the skew.
//        dotnet …/Orchestrator.TriggersBench.dll postgres-server: a throwaway durable PostgreSQL server (compare.sh --wiring cluster).
if (args is ["postgres-server"])
{
    return await Orchestrator.TriggersBench.ThrowawayPostgres.ServeAsync();
}

var options = DriverArguments.Parse(args);
var urls = options.GetValueOrDefault("url", "http://127.0.0.1:5000").Split(',');
var adminKey = options["key"];
var triggerCount = options.Number("triggers", 10000);
var robotCount = options.Number("robots", 100);
var leadSeconds = options.Number("lead", 20);
var createRate = options.Number("create-rate", 100.0);
const string Transactions = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()";
const string TriggerUpdates = "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'triggers'";
const string TriggerUpdatesInPlace = "SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'triggers'";
var siloPids = options.TryGetValue("silo-pid", out var pids) ? pids.Split(',').Select(int.Parse).ToArray() : [];

var clients = urls.Select(u => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = robotCount + 64, UseProxy = false })
{
    BaseAddress = new Uri(u),
    Timeout = TimeSpan.FromSeconds(120),
}).ToArray();
SetKey(adminKey);
var login = "bench-" + Guid.NewGuid().ToString("N")[..8];
var key = (await Post(0, "/api/account/create", $$"""{"Login": "{{login}}", "Password": "bench-password"}""")).GetProperty("key").GetString()!;
SetKey(key);

var process = (await Post(0, "/api/process/create", """{"Name": "bench"}""")).GetProperty("guid").GetGuid();
await Post(0, "/api/processVersion/create", $$"""{"Name": "v1", "ProcessGuid": "{{process}}", "ProcessFile": "UEsDBA==", "ProcessFileName": "bench.robot"}""");
var robots = new Guid[robotCount];
await Parallel.ForAsync(0, robotCount, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
    robots[i] = (await Post(i, "/api/robot/create", $$"""{"Name": "bench-{{i}}"}""")).GetProperty("GUID").GetGuid());

var warmUpCount = options.Number("warm-up-triggers", 0);
if (warmUpCount > 0)
{
    await WarmUpAsync(warmUpCount);
}

// The occurrence: a whole second far enough ahead for every trigger to be created before it.
var now = DateTimeOffset.UtcNow;
var due = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + leadSeconds + (long)Math.Ceiling(triggerCount / createRate));
var cron = $"{due.Second} {due.Minute} {due.Hour} {due.Day} {due.Month} *";
Console.WriteLine($"orchestrator {string.Join(", ", urls)}; {triggerCount} triggers '{cron}' (UTC), due at {due:HH:mm:ss}; {robotCount} long-polling robots");

var clock = Stopwatch.StartNew();
await Parallel.ForAsync(0, triggerCount, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
    await Post(i, "/api/schedule/create", $$"""{"Name": "{{login}}-{{i}}", "ProcessingType": 2, "CronTab": "{{cron}}", "ProcessId": "{{process}}"}"""));
var created = DateTimeOffset.UtcNow;
Console.WriteLine($"{triggerCount} triggers created in {clock.Elapsed.TotalSeconds:0.0} s ({triggerCount / clock.Elapsed.TotalSeconds:0}/s); {(due - created).TotalSeconds:0.0} s before they are due");
if (created > due.AddSeconds(-2))
{
    Console.WriteLine("The triggers were not all created well before they were due: run again with a larger --lead or a lower --create-rate.");
    return 1;
}

var starts = new ConcurrentBag<double>();
using var stop = new CancellationTokenSource();
var robotLoops = robots.Select((robot, i) => Task.Run(() => Robot(i, robot, stop.Token))).ToArray();

// The silos' CPU time from before any trigger prepares its fire (PrepareAhead is 5 s by default).
var cpuFrom = due.AddSeconds(-6) - DateTimeOffset.UtcNow;
if (cpuFrom > TimeSpan.Zero)
{
    await Task.Delay(cpuFrom);
}

var cpuBefore = SiloCpuSeconds();
double? cpuUsed = null;

// Wait for every trigger's job (or for two minutes past the occurrence), reading the database.
await using var database = Open();
var postgresRun = database is NpgsqlConnection;
var transactionsBefore = postgresRun ? await Scalar(Transactions) : 0;
var (updatesBefore, inPlaceBefore) = postgresRun ? (await Scalar(TriggerUpdates), await Scalar(TriggerUpdatesInPlace)) : (0, 0);
long? transactionsUsed = null;
var postmaster = postgresRun ? await PostmasterAsync() : null;
var postgresCpuBefore = PostgresCpuSeconds();
double? postgresCpuUsed = null;
var statementsWanted = postgresRun && options.ContainsKey("pg-statements");
List<(long Calls, long Plans, double PlanMicroseconds, double ExecMicroseconds, string Query)>? statements = null;
if (statementsWanted)
{
    await Scalar("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await Scalar("SELECT COUNT(*) FROM (SELECT pg_stat_statements_reset()) r");
}

var waits = new ConcurrentDictionary<string, int>();
var activitySamples = 0;
var sampling = postgresRun && options.ContainsKey("pg-activity") ? Task.Run(SampleActivityAsync) : Task.CompletedTask;
long jobs = 0;
while (DateTimeOffset.UtcNow < due.AddMinutes(2))
{
    await Task.Delay(cpuUsed is null && DateTimeOffset.UtcNow > due ? 100 : 500);
    jobs = await Scalar("SELECT COUNT(*) FROM jobs j JOIN triggers t ON t.id = j.schedule_id WHERE t.name LIKE @prefix");
    if (jobs >= triggerCount && cpuUsed is null)
    {
        cpuUsed = SiloCpuSeconds() - cpuBefore;
        transactionsUsed = postgresRun ? await Scalar(Transactions) - transactionsBefore : null;
        statements = statementsWanted ? await StatementsAsync() : null;
        postgresCpuUsed = postmaster is null ? null : PostgresCpuSeconds() - postgresCpuBefore;
    }

    if (jobs >= triggerCount && DateTimeOffset.UtcNow > due.AddSeconds(5))
    {
        break;
    }
}

await Task.Delay(2000); // a duplicate would come late: give it the time to show
var skews = new List<double>();
await using (var command = Command("SELECT j.created_at - j.scheduled_at FROM jobs j JOIN triggers t ON t.id = j.schedule_id WHERE t.name LIKE @prefix"))
await using (var reader = await command.ExecuteReaderAsync())
{
    while (await reader.ReadAsync())
    {
        skews.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
    }
}

// Read after the pause above: the sessions' statistics reach the server within a second or so of their last statement.
var (updates, inPlace) = postgresRun ? (await Scalar(TriggerUpdates) - updatesBefore, await Scalar(TriggerUpdatesInPlace) - inPlaceBefore) : (0, 0);
var duplicates = await Scalar("SELECT COUNT(*) - COUNT(DISTINCT j.schedule_id) FROM jobs j JOIN triggers t ON t.id = j.schedule_id WHERE t.name LIKE @prefix");
var misses = await Scalar("SELECT COUNT(*) FROM triggers t WHERE t.name LIKE @prefix AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.schedule_id = t.id)");
var wrong = await Scalar("SELECT COUNT(*) FROM jobs j JOIN triggers t ON t.id = j.schedule_id WHERE t.name LIKE @prefix AND j.scheduled_at <> @due");
await stop.CancelAsync();
await sampling;
await Task.WhenAll(robotLoops.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

Report("skew, occurrence → job created", skews);

// How the jobs spread over the time after the occurrence: a steady rate is a throughput limit, bursts and gaps a station
// that works in rounds.
Console.WriteLine("jobs created per 100 ms after the occurrence: " + string.Join(
    " ", skews.GroupBy(s => (int)Math.Floor(s / 100)).OrderBy(g => g.Key).Select(g => $"{g.Key * 100}:{g.Count()}")));
Report($"skew, occurrence → StartJob at a long-polling robot (the first job of each of {robotCount} robots)", [.. starts]);
Console.WriteLine($"jobs {skews.Count} for {triggerCount} triggers: duplicates {duplicates}, misses {misses}, jobs for another occurrence {wrong}");
if (siloPids.Length > 0)
{
    Console.WriteLine(cpuUsed is { } cpu
        ? $"silo CPU from T-6 s until every job was seen: {cpu:0.00} s, {cpu / triggerCount * 1000:0.000} s per 1,000 fires"
        : "silo CPU: not every job was seen");
}

if (postgresCpuUsed is { } postgresCpu)
{
    // The whole server's, from a moment after T-6 s: this run's database and anything else on the server.
    Console.WriteLine($"PostgreSQL CPU from T-6 s until every job was seen: {postgresCpu:0.00} s, {postgresCpu / triggerCount * 1000:0.000} s per 1,000 fires");
}

if (transactionsUsed is { } transactions)
{
    // The server's own count, flushed by its sessions within a second or so: a close figure, not an exact one.
    Console.WriteLine($"PostgreSQL transactions from T-6 s until every job was seen: {transactions}, {transactions * 1000.0 / triggerCount:0} per 1,000 fires");
}

if (postgresRun)
{
    // A trigger's row rewritten in its own page (HOT) adds no entry to any of the table's indexes.
    Console.WriteLine($"trigger row updates from T-6 s: {updates}, of which in their own page (HOT) {inPlace}");
}

if (statements is not null)
{
    Console.WriteLine("PostgreSQL statements of the orchestrator's database from T-6 s until every job was seen (calls per 1,000 fires; plans made in all; the mean µs of a call's planning and of its execution, wall time; this driver's own counts included):");
    foreach (var (calls, plans, plan, exec, query) in statements)
    {
        Console.WriteLine($"  {calls * 1000.0 / triggerCount,8:0} {plans,7} {plan,8:0.0} {exec,8:0.0}  {query}");
    }
}

if (activitySamples > 0)
{
    Console.WriteLine($"PostgreSQL sessions of the orchestrator's database, sampled {activitySamples} times from T until every job was seen (mean sessions per state):");
    foreach (var (state, seen) in waits.OrderByDescending(w => w.Value))
    {
        Console.WriteLine($"  {seen / (double)activitySamples,6:0.00}  {state}");
    }
}

return 0;

// Every 50 ms from T until every job is seen: what each session of the database is doing (active and its wait event,
// idle in transaction: waiting for the silo's next statement, idle: free in a silo's pool).
async Task SampleActivityAsync()
{
    var until = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3);
    if (due > DateTimeOffset.UtcNow)
    {
        await Task.Delay(due - DateTimeOffset.UtcNow);
    }

    await using var connection = Open();
    await using var command = connection.CreateCommand();
    command.CommandText =
        "SELECT state, COALESCE(wait_event_type || ':' || wait_event, 'on CPU') FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
    while (cpuUsed is null && DateTimeOffset.UtcNow < until && !stop.IsCancellationRequested)
    {
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var state = reader.IsDBNull(0) ? "?" : reader.GetString(0);
                waits.AddOrUpdate(state == "active" ? $"active, {reader.GetString(1)}" : state, 1, (_, n) => n + 1);
            }
        }

        activitySamples++;
        await Task.Delay(50);
    }
}

// A fire of `count` triggers of another account before the measured one, so that it runs on silos that have fired
// before (their code compiled), as a silo that has run for a while has, not on freshly started ones. The other account
// has no robot: its jobs wait, and the measured robots never see them.
async Task WarmUpAsync(int count)
{
    var warmLogin = "warm-" + login;
    SetKey(adminKey);
    SetKey((await Post(0, "/api/account/create", $$"""{"Login": "{{warmLogin}}", "Password": "bench-password"}""")).GetProperty("key").GetString()!);
    var warmProcess = (await Post(0, "/api/process/create", """{"Name": "warm-up"}""")).GetProperty("guid").GetGuid();
    await Post(0, "/api/processVersion/create", $$"""{"Name": "v1", "ProcessGuid": "{{warmProcess}}", "ProcessFile": "UEsDBA==", "ProcessFileName": "warm.robot"}""");
    var warmDue = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 10 + (long)Math.Ceiling(count / createRate));
    var warmCron = $"{warmDue.Second} {warmDue.Minute} {warmDue.Hour} {warmDue.Day} {warmDue.Month} *";
    await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        await Post(i, "/api/schedule/create", $$"""{"Name": "{{warmLogin}}-{{i}}", "ProcessingType": 2, "CronTab": "{{warmCron}}", "ProcessId": "{{warmProcess}}"}"""));
    await Task.Delay(Max(TimeSpan.Zero, warmDue - DateTimeOffset.UtcNow));
    await using var connection = Open();
    await using var command = connection.CreateCommand();
    command.CommandText = $"SELECT COUNT(*) FROM jobs j JOIN triggers t ON t.id = j.schedule_id WHERE t.name LIKE '{warmLogin}-%'";
    long made = 0;
    while (made < count && DateTimeOffset.UtcNow < warmDue.AddMinutes(2))
    {
        await Task.Delay(500);
        made = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    Console.WriteLine($"warm-up: {count} triggers of another account due at {warmDue:HH:mm:ss}, {made} jobs seen {(DateTimeOffset.UtcNow - warmDue).TotalSeconds:0.0} s after");
    SetKey(key);
    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

// The statements run most often in this database since the reset, by calls (pg_stat_statements: the server must load
// it, as the driver's postgres-server does), each query's text on one line.
async Task<List<(long Calls, long Plans, double PlanMicroseconds, double ExecMicroseconds, string Query)>> StatementsAsync()
{
    var top = new List<(long, long, double, double, string)>();
    await using var command = Command(
        """
        SELECT calls, query, total_plan_time * 1000 / GREATEST(calls, 1), total_exec_time * 1000 / GREATEST(calls, 1), plans FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 25
        """);
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        var query = string.Join(' ', reader.GetString(1).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        top.Add((reader.GetInt64(0), reader.GetInt64(4), reader.GetDouble(2), reader.GetDouble(3), query.Length > 160 ? query[..160] + "…" : query));
    }

    return top;
}

// The PostgreSQL server's postmaster, when the server runs on this machine (its data folder readable here); null if not.
async Task<int?> PostmasterAsync()
{
    try
    {
        await using var command = Command("SHOW data_directory");
        var pidFile = Path.Combine((string)(await command.ExecuteScalarAsync())!, "postmaster.pid");
        return File.Exists(pidFile) ? int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture) : null;
    }
    catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException)
    {
        return null;
    }
}

// The server's CPU time in seconds: the postmaster's own and its ended backends' (cutime, cstime), and its live backends'.
double PostgresCpuSeconds()
{
    if (postmaster is not { } server)
    {
        return 0;
    }

    var total = 0.0;
    foreach (var folder in Directory.EnumerateDirectories("/proc"))
    {
        if (!int.TryParse(Path.GetFileName(folder), out var pid))
        {
            continue;
        }

        try
        {
            var fields = ProcStat(pid);
            long Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            if (pid == server)
            {
                total += (Ticks(11) + Ticks(12) + Ticks(13) + Ticks(14)) / 100.0;
            }
            else if (Ticks(1) == server)
            {
                total += (Ticks(11) + Ticks(12)) / 100.0;
            }
        }
        catch (IOException)
        {
            // The process ended meanwhile: its time is in the postmaster's cutime and cstime now.
        }
    }

    return total;
}

// User and system time of the silos' processes, in seconds (utime and stime of /proc/<pid>/stat, in clock ticks).
double SiloCpuSeconds() => siloPids.Sum(pid =>
{
    var fields = ProcStat(pid);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
});

// The fields of /proc/<pid>/stat after the process's name: [1] its parent, [11] utime, [12] stime, [13] cutime,
// [14] cstime (clock ticks, 100 a second).
static string[] ProcStat(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
}

async Task Robot(int index, Guid robot, CancellationToken cancellation)
{
    while (!cancellation.IsCancellationRequested)
    {
        JsonElement reply;
        try
        {
            reply = await Post(index, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Version": "1.0", "Wait": 30}""", cancellation);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var received = DateTimeOffset.UtcNow;
        if (reply.GetProperty("Commands").EnumerateArray().Any(c => c.GetProperty("Type").GetString() == "StartJob"))
        {
            // One job per robot is measured; the robot keeps it (its StartTimeout puts it back later).
            starts.Add((received - due).TotalMilliseconds);
            return;
        }
    }
}

DbConnection Open()
{
    DbConnection connection = options.TryGetValue("postgres", out var postgres)
        ? new NpgsqlConnection(postgres)
        : new SqliteConnection($"Data Source={options["sqlite"]};Mode=ReadOnly");
    connection.Open();
    return connection;
}

DbCommand Command(string sql)
{
    var command = database.CreateCommand();
    command.CommandText = sql;
    foreach (var (name, value) in new (string, object)[] { ("@prefix", login + "-%"), ("@due", due.ToUnixTimeMilliseconds()) })
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    return command;
}

async Task<long> Scalar(string sql)
{
    await using var command = Command(sql);
    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

void SetKey(string value)
{
    foreach (var client in clients)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", value);
    }
}

async Task<JsonElement> Post(int index, string path, string json, CancellationToken cancellation = default)
{
    // A 503 (the database busy for a moment) is retried, as a client should.
    for (var attempt = 1; ; attempt++)
    {
        using var response = await clients[index % clients.Length].PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && attempt < 10)
        {
            await Task.Delay(200, cancellation);
            continue;
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt > 1 && path == "/api/schedule/create")
        {
            // The attempt answered 503 was committed after all (a loaded machine): the trigger is there, under its name.
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

static void Report(string what, List<double> values)
{
    if (values.Count == 0)
    {
        Console.WriteLine($"{what}: none");
        return;
    }

    values.Sort();
    double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    Console.WriteLine($"{what}: n={values.Count} p50={At(0.50):0} ms p99={At(0.99):0} ms max={values[^1]:0} ms");
}
