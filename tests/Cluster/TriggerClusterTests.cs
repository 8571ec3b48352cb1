using System.Text.Json;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Two silos on one PostgreSQL database, on the real clock, firing many every-second triggers: every occurrence is
/// dealt with exactly once (a job or an overlap skip, never both, never twice, never none), also when the silo that
/// ran most of them is killed. Pending jobs are cancelled as they come, so that occurrences create jobs and not only overlap skips.
/// </summary>
public sealed class TriggerClusterTests
{
    private const int Triggers = 30;

    [Fact]
    public async Task Two_silos_fire_every_occurrence_of_many_triggers_exactly_once()
    {
        var server = await PostgresServer.AcquireAsync();
        try
        {
            var connectionString = await server.CreateDatabaseAsync();
            await using var first = await OrchestratorTestHost.StartAsync(OrchestratorTestHost.ClusterSettings(connectionString));
            await using var second = await OrchestratorTestHost.StartAsync(OrchestratorTestHost.ClusterSettings(connectionString));
            using var admin = first.Client();
            var key = await TenantAccount.CreateAsync(admin, "triggers");
            using var one = first.Client(key);
            using var two = second.Client(key);

            var triggers = await CreateTriggersAsync(one, two);
            using var stop = new CancellationTokenSource();
            var canceller = CancelPendingJobsAsync([one, two], stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(5));
            await DisableAsync(two, triggers);
            await stop.CancelAsync();
            await canceller;

            await AssertEachOccurrenceOnceAsync(connectionString);
        }
        finally
        {
            await PostgresServer.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Killing_a_silo_loses_no_occurrence_and_fires_none_twice()
    {
        await using var cluster = await KillableCluster.StartAsync();
        using var admin = cluster.Doomed.Client();
        var key = await TenantAccount.CreateAsync(admin, "triggers");
        using var onDoomed = cluster.Doomed.Client(key);
        using var onSurvivor = cluster.Survivor!.Client(key);

        // Created through the silo to be killed, so that it runs many of them.
        var triggers = await CreateTriggersAsync(onDoomed, onDoomed);
        using var stop = new CancellationTokenSource();
        var canceller = CancelPendingJobsAsync([onSurvivor], stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));
        cluster.Doomed.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        // Every trigger runs again on the survivor, catching up the occurrences of the outage as late ones.
        await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, cluster.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await database.ScalarAsync("SELECT MIN(last_occurrence) FROM triggers") is not { } oldest
            || DateTimeOffset.FromUnixTimeMilliseconds(oldest) < killedAt.AddSeconds(3))
        {
            Assert.True(DateTime.UtcNow < deadline, "The triggers did not run again on the surviving silo.");
            await Task.Delay(200);
        }

        await DisableAsync(onSurvivor, triggers);
        await stop.CancelAsync();
        await canceller;
        await AssertEachOccurrenceOnceAsync(cluster.ConnectionString);
    }

    private static async Task<List<Guid>> CreateTriggersAsync(ApiClient one, ApiClient two)
    {
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(one);
        var triggers = new List<Guid>();
        for (var i = 0; i < Triggers; i++)
        {
            var api = i % 2 == 0 ? one : two;
            var body = JsonSerializer.Serialize(new { Name = $"t{i}", CronTab = "* * * * * *", ProcessingType = 2, ProcessId = process });
            triggers.Add((await api.PostAsync("/api/schedule/create", body)).GetProperty("guid").GetGuid());
        }

        return triggers;
    }

    /// <summary>Disables every trigger: once each answers, every job it fired exists and its row says what it did.</summary>
    private static async Task DisableAsync(ApiClient api, List<Guid> triggers)
    {
        foreach (var trigger in triggers)
        {
            await KillableCluster.RetryForBodyAsync(() => api.SendAsync(HttpMethod.Put, "/api/schedule/update", JsonSerializer.Serialize(new { Guid = trigger, Status = 0 })));
        }
    }

    private static async Task CancelPendingJobsAsync(ApiClient[] apis, CancellationToken stop)
    {
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var api = apis[round % apis.Length];
            try
            {
                var pending = await api.GetAsync("/api/job/list?status=0&take=1000");
                foreach (var job in pending.EnumerateArray())
                {
                    using var _ = await api.SendAsync(HttpMethod.Post, "/api/job/update", JsonSerializer.Serialize(new { Guid = job.GetProperty("guid").GetGuid(), Status = 8 }));
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // A silo being declared dead answers 503 for a while: the next round tries again.
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>
    /// Each trigger dealt with each whole second after its creation up to its mark exactly once: runs + skipped equals
    /// the number of those seconds, and its jobs are exactly its runs, each for a different second.
    /// </summary>
    private static async Task AssertEachOccurrenceOnceAsync(string connectionString)
    {
        await using var database = new OrchestratorDatabase(DatabaseKind.PostgreSql, connectionString);
        var rows = await database.QueryAsync(
            """
            SELECT t.id, t.created, t.last_occurrence, t.runs, t.skipped,
                (SELECT COUNT(*) FROM jobs j WHERE j.schedule_id = t.id) AS jobs,
                (SELECT COUNT(DISTINCT j.scheduled_at) FROM jobs j WHERE j.schedule_id = t.id) AS occurrences,
                (SELECT COUNT(*) FROM jobs j WHERE j.schedule_id = t.id AND j.scheduled_at % 1000 <> 0) AS off_second
            FROM triggers t ORDER BY t.id
            """,
            r => (Id: r.Long("id"), Created: r.Long("created"), Mark: r.Long("last_occurrence"), Runs: r.Long("runs"), Skipped: r.Long("skipped"),
                Jobs: r.Long("jobs"), Occurrences: r.Long("occurrences"), OffSecond: r.Long("off_second")));
        Assert.Equal(Triggers, rows.Count);
        foreach (var t in rows)
        {
            var seconds = (t.Mark / 1000) - (t.Created / 1000);
            Assert.True(t.Runs + t.Skipped == seconds, $"trigger {t.Id}: {t.Runs} runs + {t.Skipped} skipped for {seconds} occurrences");
            Assert.Equal(t.Runs, t.Jobs);
            Assert.Equal(t.Runs, t.Occurrences);
            Assert.Equal(0, t.OffSecond);
            Assert.True(t.Runs >= 1, $"trigger {t.Id} never fired");
        }
    }
}
