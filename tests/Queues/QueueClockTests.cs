using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Queues;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Queues;

/// <summary>What depends on the orchestrator's clock and limits: the abandon window, AutoChangeStatus, payload limits.</summary>
public abstract class QueueClockTests(QueueClockHost host)
{
    [Fact]
    public async Task A_task_in_progress_longer_than_the_abandon_window_becomes_abandoned()
    {
        using var api = await host.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "old", "QueueGuid": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "young", "QueueGuid": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "spare", "QueueGuid": "q", "Priority": 0}""");
        await TaskScenario.TakeAsync(api, "q");

        host.Time.Advance(TimeSpan.FromHours(23));
        await TaskScenario.TakeAsync(api, "q");
        Assert.Equal(1, (await api.GetAsync("/api/task/read/old")).GetProperty("status").GetInt32());

        var queue = (await api.GetAsync("/api/queue/read/q")).GetProperty("guid").GetGuid();
        var grain = host.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IQueueGrain>(queue);
        host.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await grain.AbandonOverdueAsync());
        Assert.Equal(1, (await api.GetAsync("/api/task/read/old")).GetProperty("status").GetInt32());

        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await grain.AbandonOverdueAsync());
        Assert.Equal(4, (await api.GetAsync("/api/task/read/old")).GetProperty("status").GetInt32());
        Assert.Equal(1, (await api.GetAsync("/api/task/read/young")).GetProperty("status").GetInt32());
        Assert.Equal(1, (await api.GetAsync("/api/queue/read/q")).GetProperty("tasks").GetProperty("abandoned").GetInt64());

        // A take sweeps too: the young task's window ends 24 h after it started.
        host.Time.Advance(TimeSpan.FromHours(24));
        Assert.Equal("spare", (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("name").GetString());
        Assert.Equal(4, (await api.GetAsync("/api/task/read/young")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_postponed_task_is_handed_out_once_its_time_has_come_in_its_priority_order()
    {
        using var api = await host.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var now = host.Time.GetUtcNow();
        await api.PostAsync("/api/task/create", $$"""{"Name": "later", "QueueGuid": "q", "Priority": 2, "Postponed": {{now.AddHours(1).ToUnixTimeSeconds()}}}""");
        await api.PostAsync("/api/task/create", """{"Name": "now", "QueueGuid": "q", "Priority": 0}""");
        await api.PostAsync("/api/task/create", """{"Name": "now too", "QueueGuid": "q", "Priority": 0}""");

        Assert.Equal("now", (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("name").GetString());
        await api.PostAsync("/api/task/create", $$"""{"Name": "sooner", "QueueGuid": "q", "Priority": 1, "Postponed": {{now.AddMinutes(30).ToUnixTimeSeconds()}}}""");
        host.Time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        Assert.Equal("now too", (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("name").GetString());
        Assert.Null(await TaskScenario.TakeAsync(api, "q"));

        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("sooner", (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("name").GetString());
        Assert.Null(await TaskScenario.TakeAsync(api, "q"));
        host.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("later", (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Parameters_or_result_over_the_payload_limit_are_413_naming_the_field()
    {
        using var api = await host.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var big = new string('x', QueueClockHost.MaxPayloadBytes + 1);
        var fits = new string('x', QueueClockHost.MaxPayloadBytes - 20);

        var problem = await api.PostAsync("/api/task/create", $$$"""{"Name": "t", "QueueGuid": "q", "Parameters": {"data": "{{{big}}}"}}""", HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Parameters", problem.GetProperty("field").GetString());
        problem = await api.PostAsync("/api/task/createBatch", $$"""[{"Name": "t", "QueueGuid": "q"}, {"Name": "t", "QueueGuid": "q", "Parameters": "{{big}}"}]""", HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("[1].Parameters", problem.GetProperty("field").GetString());
        var guid = (await api.PostAsync("/api/task/create", $$$"""{"Name": "t", "QueueGuid": "q", "Parameters": {"data": "{{{fits}}}"}}""")).GetProperty("guid").GetGuid();
        problem = await api.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 2, "Result": "{{big}}"}""", HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Result", problem.GetProperty("field").GetString());

        Assert.Equal(1, (await api.PostAsync("/api/task/filter/list/q", "{}")).GetArrayLength());
        Assert.Equal(0, (await api.GetAsync($"/api/task/read/{guid}")).GetProperty("status").GetInt32());
    }
    [Fact]
    public async Task On_SQLite_a_queue_keeps_its_writer_across_batches_and_closes_it_when_idle_or_deactivated()
    {
        var records = host.Host.Services.GetRequiredService<TaskRecords>();
        var sqlite = host is EmbeddedQueueClockHost;
        using var api = await host.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/queue/create", """{"Name": "other"}""");
        var batch = string.Join(',', Enumerable.Range(0, 10).Select(i => $$"""{"Name": "t{{i}}", "QueueGuid": "q"}"""));
        await api.PostAsync("/api/task/createBatch", $"[{batch}]");
        await api.PostAsync("/api/task/create", """{"Name": "o", "QueueGuid": "other"}""");

        // Writers of queues earlier tests used close once idle; from then on every open writer is this test's.
        await Polling.EventuallyAsync(() => Task.FromResult(records.WritersOpen), open => open == 0, seconds: 3 * (int)QueueClockHost.WriterIdle.TotalSeconds);
        var opened = records.BatchConnectionsOpened;
        for (var i = 0; i < 10; i++)
        {
            var task = (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("guid").GetGuid();
            await api.PutAsync("/api/task/update", $$"""{"Guid": "{{task}}", "Status": 2}""");
        }

        // 20 batches, one after the other: on SQLite one connection for all of them, kept; on PostgreSQL one a batch.
        Assert.Equal(sqlite ? 1 : 20, records.BatchConnectionsOpened - opened);
        Assert.Equal(sqlite ? 1 : 0, records.WritersOpen);

        // Deleting the queue deactivates its grain, which closes the writer well before it would be idle.
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await api.DeleteAsync("/api/queue/delete/q");
        await Polling.EventuallyAsync(() => Task.FromResult(records.WritersOpen), open => open == 0, seconds: 3 * (int)QueueClockHost.WriterIdle.TotalSeconds);
        Assert.True(stopwatch.Elapsed < QueueClockHost.WriterIdle, $"closed after {stopwatch.Elapsed}, not on deactivation");

        // A queue left idle closes its writer; its next batch opens another.
        await TaskScenario.TakeAsync(api, "other");
        Assert.Equal(sqlite ? 1 : 0, records.WritersOpen);
        stopwatch.Restart();
        await Polling.EventuallyAsync(() => Task.FromResult(records.WritersOpen), open => open == 0, seconds: 3 * (int)QueueClockHost.WriterIdle.TotalSeconds);
        Assert.True(!sqlite || stopwatch.Elapsed >= QueueClockHost.WriterIdle - TimeSpan.FromSeconds(1), $"closed after {stopwatch.Elapsed}, before it was idle");
        opened = records.BatchConnectionsOpened;
        await api.PostAsync("/api/task/create", """{"Name": "o2", "QueueGuid": "other"}""");
        await TaskScenario.TakeAsync(api, "other");
        Assert.Equal(sqlite ? 1 : 0, records.WritersOpen);
        Assert.Equal(2, records.BatchConnectionsOpened - opened);
    }
}

public sealed class EmbeddedQueueClockTests(EmbeddedQueueClockHost host) : QueueClockTests(host), IClassFixture<EmbeddedQueueClockHost>;

public sealed class PostgresQueueClockTests(PostgresQueueClockHost host) : QueueClockTests(host), IClassFixture<PostgresQueueClockHost>;
