using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>Requests that race each other on one record get the answers they would get one after the other.</summary>
public abstract class RaceTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task A_burst_of_reads_of_a_GUID_that_names_nothing_is_all_404s()
    {
        using var api = await fixture.NewAccountAsync();
        foreach (var path in new[] { "/api/robot/read", "/api/job/read", "/api/process/read", "/api/queue/read", "/api/schedule/read" })
        {
            var nothing = Guid.NewGuid();
            var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
            {
                using var response = await api.SendAsync(HttpMethod.Get, $"{path}/{nothing}");
                return response.StatusCode;
            }));

            Assert.All(answers, status => Assert.Equal(HttpStatusCode.NotFound, status));
        }
    }

    [Fact]
    public async Task Updates_racing_a_delete_are_applied_before_it_or_are_404s()
    {
        using var api = await fixture.NewAccountAsync();
        for (var round = 0; round < 10; round++)
        {
            var robot = (await api.PostAsync("/api/robot/create", JsonSerializer.Serialize(new { Name = $"doomed {round}" }))).GetProperty("GUID").GetGuid();
            var updates = Enumerable.Range(0, 12).Select(async i =>
            {
                using var response = await api.SendAsync(HttpMethod.Put, "/api/robot/update", JsonSerializer.Serialize(new { GUID = robot, Description = $"d{i}" }));
                return response.StatusCode;
            }).ToList();
            using (var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/robot/delete/{robot}"))
            {
                Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            }

            Assert.All(await Task.WhenAll(updates), status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }));
            await api.GetAsync($"/api/robot/read/{robot}", HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Concurrent_edits_of_a_queue_all_stay()
    {
        using var api = await fixture.NewAccountAsync();
        for (var round = 0; round < 10; round++)
        {
            var queue = (await api.PostAsync("/api/queue/create", JsonSerializer.Serialize(new { Name = $"q{round}" }))).GetProperty("guid").GetGuid();
            await Task.WhenAll(
                api.PutAsync("/api/queue/update", JsonSerializer.Serialize(new { Guid = queue, UniqueTasks = 1 })),
                api.PutAsync("/api/queue/update", JsonSerializer.Serialize(new { Guid = queue, Description = "described" })),
                api.PutAsync("/api/queue/update", JsonSerializer.Serialize(new { Guid = queue, Name = $"renamed {round}" })));

            var read = await api.GetAsync($"/api/queue/read/{queue}");
            Assert.Equal($"renamed {round}", read.GetProperty("name").GetString());
            Assert.Equal("described", read.GetProperty("description").GetString());
            Assert.Equal(1, read.GetProperty("unique_tasks").GetInt32());
        }
    }

    [Fact]
    public async Task UniqueTasks_turned_on_while_tasks_of_one_name_are_created_leaves_one_live_task_of_it_or_is_refused()
    {
        using var api = await fixture.NewAccountAsync();
        for (var round = 0; round < 10; round++)
        {
            var name = $"q{round}";
            await api.PostAsync("/api/queue/create", JsonSerializer.Serialize(new { Name = name }));
            var creates = Enumerable.Range(0, 10).Select(async _ =>
            {
                using var response = await api.SendAsync(HttpMethod.Post, "/api/task/create", JsonSerializer.Serialize(new { Name = "dupe", QueueGuid = name }));
                return response.StatusCode;
            }).ToList();
            using var update = await api.SendAsync(HttpMethod.Put, "/api/queue/update", JsonSerializer.Serialize(new { Guid = name, UniqueTasks = 1 }));
            var created = (await Task.WhenAll(creates)).Count(status => status == HttpStatusCode.OK);

            var live = (await api.PostAsync($"/api/task/filter/list/{name}", "{}")).GetArrayLength();
            Assert.Equal(created, live);
            if (update.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(1, live);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);
                Assert.Equal(0, (await api.GetAsync($"/api/queue/read/{name}")).GetProperty("unique_tasks").GetInt32());
            }
        }
    }

    [Fact]
    public async Task Jobs_created_while_their_robot_group_or_process_is_deleted_are_refused_or_cancelled()
    {
        using var api = await fixture.NewAccountAsync();
        for (var round = 0; round < 5; round++)
        {
            var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api, name: $"p{round}");
            var robot = await JobApiScenario.RobotAsync(api, $"r{round}");
            var group = (await api.PostAsync("/api/robotGroup/create", JsonSerializer.Serialize(new { Name = $"g{round}" }))).GetProperty("guid").GetGuid();
            var creates = Enumerable.Range(0, 12).Select(i => CreateJobAsync(api, i % 2 == 0 ? new { ProcessGuid = process, RobotGuid = robot } : new { ProcessGuid = process, RobotGroupGuid = group })).ToList();
            var deletes = new[] { api.SendAsync(HttpMethod.Delete, $"/api/robot/delete/{robot}"), api.SendAsync(HttpMethod.Delete, $"/api/robotGroup/delete/{group}") };
            Assert.All(await Task.WhenAll(creates), status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.NotFound }));
            Assert.All(await Task.WhenAll(deletes), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));

            // Every job made for the deleted robot or group was cancelled by its delete, or refused.
            Assert.DoesNotContain(await JobsOfAsync(api, process), job => job.GetProperty("status").GetInt32() == 0);

            // A process deleted while jobs of it are created: refused (409) while one lives, else none lives after it.
            var (doomed, _) = await JobApiScenario.ProcessWithVersionAsync(api, name: $"doomed {round}");
            var moreCreates = Enumerable.Range(0, 12).Select(_ => CreateJobAsync(api, new { ProcessGuid = doomed })).ToList();
            using var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/process/delete/{doomed}");
            var created = (await Task.WhenAll(moreCreates)).Count(status => status == HttpStatusCode.OK);
            if (deleted.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(0, created);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Versions_created_while_their_process_is_deleted_go_with_it_or_are_404s()
    {
        using var api = await fixture.NewAccountAsync();
        for (var round = 0; round < 5; round++)
        {
            var process = (await api.PostAsync("/api/process/create", JsonSerializer.Serialize(new { Name = $"p{round}" }))).GetProperty("guid").GetGuid();
            var creates = Enumerable.Range(0, 10).Select(async i =>
            {
                using var response = await api.SendAsync(
                    HttpMethod.Post, "/api/processVersion/create", JsonSerializer.Serialize(new { Name = $"v{i}", ProcessGuid = process, ProcessFile = "AQID", ProcessFileName = "a.robot" }));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            using (var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/process/delete/{process}"))
            {
                Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            }

            foreach (var (status, body) in await Task.WhenAll(creates))
            {
                Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
                if (status == HttpStatusCode.OK)
                {
                    await api.GetAsync($"/api/processVersion/read/{JsonDocument.Parse(body).RootElement.GetProperty("guid").GetGuid()}", HttpStatusCode.NotFound);
                }
            }
        }
    }

    [Fact]
    public async Task Key_refreshes_made_with_one_key_at_once_give_one_new_key_and_it_works()
    {
        using var admin = fixture.Host.Client();
        for (var round = 0; round < 5; round++)
        {
            using var api = fixture.Host.Client(await TenantAccount.CreateAsync(admin));
            var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
            {
                using var response = await api.SendAsync(HttpMethod.Post, "/api/key/refresh", "{}");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }));

            var issued = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
            using var renewed = fixture.Host.Client(JsonDocument.Parse(issued.Body).RootElement.GetProperty("key").GetString()!);
            await renewed.GetAsync("/api/key");
        }
    }

    private static async Task<HttpStatusCode> CreateJobAsync(ApiClient api, object body)
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/job/create", JsonSerializer.Serialize(body));
        return response.StatusCode;
    }

    private static async Task<List<JsonElement>> JobsOfAsync(ApiClient api, Guid process) =>
        [.. (await api.GetAsync($"/api/job/list?process={process}&take=1000")).EnumerateArray()];
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedRaceTests(EmbeddedFixture fixture) : RaceTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRaceTests(PostgresFixture fixture) : RaceTests(fixture);
