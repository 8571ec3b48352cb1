using System.Net;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>
/// API.md §1: where a path has {guid}, the same value may come in the body as Guid, as the vendor document's own
/// examples send it; on both wirings.
/// </summary>
public abstract class BodyGuidTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Read_and_delete_take_the_reference_from_the_body_when_the_path_has_none()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, version) = await JobApiScenario.ProcessWithVersionAsync(api, name: "TestProcess");
        var robot = await JobApiScenario.RobotAsync(api, "r");
        await api.PostAsync("/api/queue/create", """{"Name": "Test Queue"}""");
        await api.PostAsync("/api/queue/create", """{"Name": "a/b 100%"}""");
        await api.PostAsync("/api/task/create", """{"Name": "123", "QueueGuid": "Test Queue"}""");

        // The document's process/read example: its body, no segment.
        Assert.Equal("TestProcess", (await api.JsonAsync(HttpMethod.Get, "/api/process/read", $$"""{ "Guid": "{{process}}", }""")).GetProperty("name").GetString());
        Assert.Equal(version, (await api.JsonAsync(HttpMethod.Get, "/api/processVersion/read", $$"""{"guid": "{{version}}"}""")).GetProperty("guid").GetGuid());
        Assert.Equal(robot, (await api.JsonAsync(HttpMethod.Get, "/api/robot/read", $$"""{"GUID": "{{robot}}"}""")).GetProperty("GUID").GetGuid());
        Assert.Equal("123", (await api.JsonAsync(HttpMethod.Get, "/api/task/read", """{"Guid": "123"}""")).GetProperty("name").GetString());
        Assert.Equal(0, (await api.DeleteAsync("/api/queue/delete", """{"Guid": "Test Queue"}""")).GetArrayLength());
        await api.GetAsync("/api/queue/read/Test%20Queue", HttpStatusCode.NotFound);
        Assert.Equal("a/b 100%", (await api.JsonAsync(HttpMethod.Get, "/api/queue/read", """{"Guid": "a/b 100%"}""")).GetProperty("name").GetString());

        // The path wins over the body.
        Assert.Equal(process, (await api.JsonAsync(HttpMethod.Get, $"/api/process/read/{process}", $$"""{"Guid": "{{version}}"}""")).GetProperty("guid").GetGuid());

        // No Guid in the body: routed as it came (the robot list is GET /api/robot/read).
        Assert.Equal(robot, (await api.JsonAsync(HttpMethod.Get, "/api/robot/read", """{"Name": "r"}"""))[0].GetProperty("GUID").GetGuid());
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedBodyGuidTests(EmbeddedFixture fixture) : BodyGuidTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBodyGuidTests(PostgresFixture fixture) : BodyGuidTests(fixture);
