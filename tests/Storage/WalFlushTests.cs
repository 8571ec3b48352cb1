using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Queues;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Tests.Queues;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// The embedded database's log synced after the commit, outside the write lock: one sync serves every caller that asked
/// before it began, none is told it is synced by a sync that may have begun before it asked, and a queue answers its
/// writes only once synced; the setting that defers the sync never reaches the pool's connections.
/// </summary>
public sealed class WalFlushTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private OrchestratorTestHost _host = null!;

    private OrchestratorDatabase Database => _host.Services.GetRequiredService<OrchestratorDatabase>();

    [Fact]
    public async Task Callers_that_ask_while_a_sync_runs_share_the_next_one_and_none_is_answered_by_the_running_one()
    {
        var flush = Database.WalFlush!;
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        var holds = new ConcurrentQueue<TaskCompletionSource>([first, second]);
        flush.BeforeSync = () => holds.TryDequeue(out var hold) ? hold.Task : Task.CompletedTask;
        var before = flush.Flushes;
        try
        {
            var running = flush.FlushAsync();
            await Polling.EventuallyAsync(() => Task.FromResult(holds.Count), left => left == 1);
            var during = Enumerable.Range(0, 10).Select(_ => flush.FlushAsync()).ToList();

            first.SetResult();
            await running.WaitAsync(TimeSpan.FromSeconds(15));
            await Task.Delay(200);
            Assert.All(during, d => Assert.False(d.IsCompleted, "answered by a sync that began before it was asked"));

            second.SetResult();
            await Task.WhenAll(during).WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(2, flush.Flushes - before);
        }
        finally
        {
            flush.BeforeSync = null;
        }
    }

    [Fact]
    public async Task A_take_is_committed_before_the_log_is_synced_and_answered_only_after()
    {
        using var admin = _host.Client();
        using var api = _host.Client(await TenantAccount.CreateAsync(admin));
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var task = (await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""")).GetProperty("guid").GetGuid();

        var hold = new TaskCompletionSource();
        var flush = Database.WalFlush!;
        flush.BeforeSync = () => hold.Task;
        try
        {
            var take = api.SendAsync(HttpMethod.Post, "/api/task/next", """{"QueueGuid": "q"}""");
            await Polling.EventuallyAsync(() => StatusAsync(task), status => status == 1);
            await Task.Delay(200);
            Assert.False(take.IsCompleted, "the take was answered before the log was synced");

            hold.SetResult();
            using var answer = await take.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(task, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("guid").GetGuid());
        }
        finally
        {
            hold.TrySetResult();
            flush.BeforeSync = null;
        }
    }

    [Fact]
    public async Task The_pools_connections_still_sync_inside_every_commit_after_a_queue_wrote()
    {
        using var admin = _host.Client();
        using var api = _host.Client(await TenantAccount.CreateAsync(admin));
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        for (var i = 0; i < 5; i++)
        {
            await api.PostAsync("/api/task/create", $$"""{"Name": "t{{i}}", "QueueGuid": "q"}""");
            Assert.NotNull(await TaskApiTests.TakeAsync(api, "q"));
        }

        // The queue's writer closed when idle: had it come from the pool, it would be back in it now.
        var records = _host.Services.GetRequiredService<TaskRecords>();
        await Polling.EventuallyAsync(() => Task.FromResult(records.WritersOpen), open => open == 0);

        // Several at once, so that the pool hands out every connection it holds.
        var settings = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var connection = await Database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            var value = Convert.ToInt64(await command.ExecuteScalarAsync());
            await Task.Delay(50);
            return value;
        }));
        Assert.All(settings, s => Assert.Equal(2, s));
    }

    [Fact]
    public async Task The_log_a_queue_wrote_is_checkpointed_off_its_commits()
    {
        using var admin = _host.Client();
        using var api = _host.Client(await TenantAccount.CreateAsync(admin));
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var flush = Database.WalFlush!;
        var before = flush.Checkpoints;

        Assert.NotNull(await TaskApiTests.TakeAsync(api, "q"));

        await Polling.EventuallyAsync(() => Task.FromResult(flush.Checkpoints), checkpoints => checkpoints > before);
    }

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(DatabaseKind.Sqlite, "wal-flush");
        var settings = _store.HostSettings();
        settings["Orchestrator:Queues:WriterIdle"] = "00:00:01";
        _host = await OrchestratorTestHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _store.DisposeAsync();
    }

    private async Task<long?> StatusAsync(Guid task) =>
        await Database.ScalarAsync("SELECT status FROM tasks WHERE guid = @guid", ("@guid", task));
}
