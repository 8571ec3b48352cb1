using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// A silo killed in the middle of a take/complete loop: every create, take and completion it acknowledged is
/// there on the survivor, and no task is handed out twice.
/// </summary>
public sealed class QueueSiloKillTests
{
    [Fact]
    public async Task Killing_a_silo_mid_loop_loses_no_acknowledged_task_write_and_hands_out_none_twice()
    {
        await using var cluster = await KillableCluster.StartAsync(withSurvivor: false);
        var doomed = cluster.Doomed;
        using var admin = doomed.Client();
        var key = await TenantAccount.CreateAsync(admin, "worker");
        using var tenant = doomed.Client(key);
        await tenant.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var batch = string.Join(',', Enumerable.Range(0, 400).Select(i => $$"""{"Name": "seed{{i}}", "QueueGuid": "q"}"""));
        var created = new ConcurrentBag<Guid>((await tenant.PostAsync("/api/task/createBatch", $"[{batch}]")).EnumerateArray().Select(t => t.GetProperty("guid").GetGuid()));

        // The second silo joins only now, so the queue's grain is active on the silo that dies.
        var survivor = await cluster.StartSurvivorAsync();
        var taken = new ConcurrentBag<Guid>();
        var completed = new ConcurrentBag<Guid>();

        // Workers take and complete, a producer adds tasks, all through the silo about to die; each records
        // only what was answered 2xx. The silo dies once enough has been acknowledged.
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var client = doomed.Client(key);
            while (!stop.IsCancellationRequested)
            {
                var task = await KillableCluster.TryAsync(() => client.SendAsync(HttpMethod.Post, "/api/task/next", """{"QueueGuid": "q"}"""));
                if (task is not { } t)
                {
                    return;
                }

                var guid = t.GetProperty("guid").GetGuid();
                taken.Add(guid);
                if (await KillableCluster.TryAsync(() => client.SendAsync(HttpMethod.Put, "/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 2}""")) is null)
                {
                    return;
                }

                completed.Add(guid);
            }
        })).ToList();
        workers.Add(Task.Run(async () =>
        {
            using var client = doomed.Client(key);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (await KillableCluster.TryAsync(() => client.SendAsync(HttpMethod.Post, "/api/task/create", $$"""{"Name": "late{{i}}", "QueueGuid": "q"}""")) is not { } t)
                {
                    return;
                }

                created.Add(t.GetProperty("guid").GetGuid());
            }
        }));

        while (completed.Count < 100)
        {
            await Task.Delay(5);
        }

        doomed.Kill();
        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.True(taken.Count < created.Count, "the loop must be stopped mid-way, with tasks left to take");

        using var client = survivor.Client(key);
        var drained = new List<Guid>();
        while (await KillableCluster.RetryAsync(() => client.SendAsync(HttpMethod.Post, "/api/task/next", """{"QueueGuid": "q"}""")) is { } task)
        {
            drained.Add(task.GetProperty("guid").GetGuid());
        }

        Assert.Empty(drained.Intersect(taken));
        Assert.Equal(drained.Count, drained.Distinct().Count());
        var rows = new Dictionary<Guid, int>();
        for (long after = 0; ;)
        {
            var page = (await KillableCluster.RetryAsync(() => client.SendAsync(HttpMethod.Post, $"/api/task/filter/list/q/take=1000;after={after}", "{}")))!.Value;
            if (page.GetArrayLength() == 0)
            {
                break;
            }

            foreach (var row in page.EnumerateArray())
            {
                rows[row.GetProperty("guid").GetGuid()] = row.GetProperty("status").GetInt32();
                after = row.GetProperty("id").GetInt64();
            }
        }

        Assert.All(created, guid => Assert.True(rows.ContainsKey(guid), $"acknowledged create {guid} was lost"));
        Assert.All(taken, guid => Assert.NotEqual(0, rows[guid]));
        Assert.All(completed, guid => Assert.Equal(2, rows[guid]));
        Assert.All(drained, guid => Assert.Equal(1, rows[guid]));
    }
}
