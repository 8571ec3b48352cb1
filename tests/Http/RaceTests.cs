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
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedRaceTests(EmbeddedFixture fixture) : RaceTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRaceTests(PostgresFixture fixture) : RaceTests(fixture);
