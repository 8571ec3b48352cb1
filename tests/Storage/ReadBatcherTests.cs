using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Triggers;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// Reads asked for at once (a burst of grain activations, triggers preparing their fires together) go to the database
/// together, in a few queries, and each caller still gets the answer for its own key.
/// </summary>
public abstract class ReadBatcherTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Records_asked_for_together_are_read_in_a_few_queries_and_each_caller_gets_its_own()
    {
        using var api = await fixture.NewAccountAsync();
        var names = Enumerable.Range(0, 60).Select(i => $"batch-{i}").ToList();
        var robots = new List<Guid>();
        foreach (var name in names)
        {
            robots.Add((await api.PostAsync("/api/robot/create", JsonSerializer.Serialize(new { Name = name }))).GetProperty("GUID").GetGuid());
        }

        var missing = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var records = fixture.Host.Services.GetRequiredService<RobotRecords>();
        var database = fixture.Host.Services.GetRequiredService<OrchestratorDatabase>();
        var before = database.Queries;

        // Every GUID asked twice, all at once, as grains activating together ask.
        var asked = robots.Concat(missing).Concat(robots).Concat(missing).ToList();
        var found = await Task.WhenAll(asked.Select(records.FindAsync));

        // The host's other work (its robots' heartbeats, other tests' grains) reads meanwhile too: a bound, not a count.
        var queries = database.Queries - before;
        Assert.True(queries < asked.Count / 4, $"{asked.Count} reads asked together took {queries} queries: they were not read together");
        for (var i = 0; i < asked.Count; i++)
        {
            var index = robots.IndexOf(asked[i]);
            if (index < 0)
            {
                Assert.Null(found[i]);
            }
            else
            {
                Assert.Equal(asked[i], found[i]!.Guid);
                Assert.Equal(names[index], found[i]!.Name);
            }
        }
    }

    [Fact]
    public async Task Latest_versions_and_job_statuses_asked_for_together_each_answer_their_own()
    {
        using var api = await fixture.NewAccountAsync();
        var twoVersions = await ProcessAsync(api, "two-versions", versions: 2);
        var none = await ProcessAsync(api, "no-version", versions: 0);
        var one = await ProcessAsync(api, "one-version", versions: 1);
        var database = fixture.Host.Services.GetRequiredService<OrchestratorDatabase>();
        async Task<long> IdAsync(Guid process) => (await database.ScalarAsync("SELECT id FROM processes WHERE guid = @guid", ("@guid", process)))!.Value;
        async Task<long?> NewestAsync(Guid process) =>
            await database.ScalarAsync("SELECT MAX(v.id) FROM process_versions v JOIN processes p ON p.id = v.process_id WHERE p.guid = @guid", ("@guid", process));
        (long Id, long? Newest)[] processes =
        [
            (await IdAsync(twoVersions), await NewestAsync(twoVersions)), (await IdAsync(none), null), (await IdAsync(one), await NewestAsync(one)),
        ];
        Assert.NotNull(processes[0].Newest);

        var records = fixture.Host.Services.GetRequiredService<TriggerRecords>();
        var asked = Enumerable.Range(0, 90).Select(i => processes[i % 3]).ToList();
        var versions = await Task.WhenAll(asked.Select(p => records.LatestVersionAsync(p.Id)));
        Assert.Equal(asked.Select(p => p.Newest), versions);

        var job = (await api.PostAsync("/api/job/create", JsonSerializer.Serialize(new { ProcessGuid = twoVersions }))).GetProperty("guid").GetGuid();
        var jobs = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? job : Guid.NewGuid()).ToList();
        var statuses = await Task.WhenAll(jobs.Select(records.JobStatusAsync));
        Assert.Equal(jobs.Select(j => j == job ? 0 : (int?)null), statuses);
    }

    private static async Task<Guid> ProcessAsync(ApiClient api, string name, int versions)
    {
        var process = (await api.PostAsync("/api/process/create", JsonSerializer.Serialize(new { Name = name }))).GetProperty("guid").GetGuid();
        for (var i = 1; i <= versions; i++)
        {
            await api.PostAsync(
                "/api/processVersion/create",
                JsonSerializer.Serialize(new { Name = $"v{i}", ProcessGuid = process, ProcessFile = "UEsDBA==", ProcessFileName = "bot.robot" }));
        }

        return process;
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedReadBatcherTests(EmbeddedFixture fixture) : ReadBatcherTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresReadBatcherTests(PostgresFixture fixture) : ReadBatcherTests(fixture);
