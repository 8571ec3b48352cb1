using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Bench;

/// <summary>
/// What the queue benchmark needs, made through the HTTP API as robots and producers would: consumer robots
/// that each run a job (task/next takes a task only for one of the caller's Running jobs), and the queues.
/// While the benchmark runs, the robots keep heartbeating, so their jobs stay Running.
/// </summary>
public sealed class QueueSetup : IAsyncDisposable
{
    private const int BatchSize = 1000;

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeats = Task.CompletedTask;

    private QueueSetup(HttpClient http, string folder)
    {
        _http = http;
        ConsumersFile = Path.Combine(folder, "consumers.txt");
    }

    /// <summary>One line per consumer: its robot's GUID and the GUID of the job it runs.</summary>
    public string ConsumersFile { get; }

    public (Guid Robot, Guid Job)[] Consumers { get; private set; } = [];

    public static async Task<QueueSetup> CreateAsync(Uri server, int consumers, string folder)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AdminKey);
        var setup = new QueueSetup(http, folder);
        await setup.StartJobsAsync(consumers);
        return setup;
    }

    /// <summary>Creates a queue and answers its GUID.</summary>
    public async Task<Guid> CreateQueueAsync(string name) =>
        (await SendAsync(HttpMethod.Post, "/api/queue/create", $$"""{"Name": "{{name}}"}""")).GetProperty("guid").GetGuid();

    /// <summary>The queue's New tasks.</summary>
    public async Task<long> NewTasksAsync(Guid queue) =>
        (await SendAsync(HttpMethod.Get, $"/api/queue/read/{queue}", null)).GetProperty("tasks").GetProperty("new").GetInt64();

    /// <summary>Adds <paramref name="count"/> tasks in batches of 1,000, <paramref name="parallel"/> batches at a time.</summary>
    public Task AddTasksAsync(Guid queue, long count, int parallel = 4)
    {
        var batches = (int)((count + BatchSize - 1) / BatchSize);
        return Parallel.ForAsync(0, batches, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (b, _) =>
            await SendAsync(HttpMethod.Post, "/api/task/createBatch", Batch(queue, (int)Math.Min(BatchSize, count - ((long)b * BatchSize)), b)));
    }

    /// <summary>Tops the queue up to at least <paramref name="depth"/> New tasks.</summary>
    public async Task TopUpAsync(Guid queue, long depth)
    {
        var missing = depth - await NewTasksAsync(queue);
        if (missing > 0)
        {
            await AddTasksAsync(queue, missing);
        }
    }

    /// <summary>A createBatch body of <paramref name="count"/> tasks: a name, a priority and a small JSON object of parameters each, as producers send.</summary>
    public static string Batch(Guid queue, int count, int batch)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $$$"""{"Name": "invoice-{{{batch}}}-{{{i}}}", "QueueGuid": "{{{queue}}}", "Priority": 1, "Parameters": {"invoice": {{{i}}}, "amount": "{{{i * 7}}}.50"}}""");
            json.Append(i + 1 < count ? "," : "]");
        }

        return json.ToString();
    }

    /// <summary>Takes one task for the first consumer; answers its GUID, or null on 204.</summary>
    public async Task<Guid?> TakeAsync(Guid queue)
    {
        var (robot, job) = Consumers[0];
        using var response = await _http.PostAsync("/api/task/next", Json($$"""{"QueueGuid": "{{queue}}", "RobotGuid": "{{robot}}", "JobGuid": "{{job}}"}"""));
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.GetProperty("guid").GetGuid() : throw new InvalidOperationException($"task/next: {(int)response.StatusCode} {text}");
    }

    public Task CompleteAsync(Guid task) =>
        SendAsync(HttpMethod.Put, "/api/task/update", $$$"""{"Guid": "{{{task}}}", "Status": 2, "Result": {"ok": true}}""");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _heartbeats;
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>Each consumer robot heartbeats, is handed a job of its own, reports it Running, and keeps heartbeating.</summary>
    private async Task StartJobsAsync(int count)
    {
        var process = (await SendAsync(HttpMethod.Post, "/api/process/create", """{"Name": "bench-queue-consumer"}""")).GetProperty("guid").GetGuid();
        await SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v1", "ProcessGuid": "{{process}}", "ProcessFile": "UEsDBA==", "ProcessFileName": "consumer.robot"}""");
        var consumers = new (Guid Robot, Guid Job)[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var robot = (await SendAsync(HttpMethod.Post, "/api/robot/create", $$"""{"Name": "consumer-{{i}}"}""")).GetProperty("GUID").GetGuid();
            var job = (await SendAsync(HttpMethod.Post, "/api/job/create", $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""")).GetProperty("guid").GetGuid();
            for (var attempt = 0; ; attempt++)
            {
                var reply = await SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Version": "1.0", "Wait": 5}""");
                if (reply.GetProperty("Commands").EnumerateArray().Any(c => c.GetProperty("Type").GetString() == "StartJob" && c.GetProperty("JobGUID").GetGuid() == job))
                {
                    break;
                }

                if (attempt == 10)
                {
                    throw new InvalidOperationException($"Robot {robot} was not handed its job {job}.");
                }
            }

            await SendAsync(HttpMethod.Post, "/api/job/update", $$"""{"Guid": "{{job}}", "Status": 1, "RobotGuid": "{{robot}}"}""");
            consumers[i] = (robot, job);
        });
        Consumers = consumers;
        await File.WriteAllLinesAsync(ConsumersFile, consumers.Select(c => $"{c.Robot} {c.Job}"));
        _heartbeats = KeepHeartbeatingAsync(_stop.Token);
    }

    private async Task KeepHeartbeatingAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), stop);
            foreach (var (robot, job) in Consumers)
            {
                await SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Version": "1.0", "RunningJobGUID": "{{job}}"}""", stop);
            }
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellation = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : Json(json) };
        using var response = await _http.SendAsync(request, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
