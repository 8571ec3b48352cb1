using System.Net;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>The Swagger page and the health endpoints.</summary>
public abstract class ServiceEndpointTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Swagger_lists_every_endpoint_grouped_by_resource_with_the_bearer_scheme()
    {
        using var anonymous = new ApiClient(fixture.Host.Address, null);

        var document = await anonymous.GetAsync("/swagger/v1/swagger.json");
        using var page = await anonymous.SendAsync(HttpMethod.Get, "/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var paths = document.GetProperty("paths");
        string[] expected =
        [
            "/api/robot/create", "/api/robot/read/{guid}", "/api/robot/read", "/api/robot/update", "/api/robot/delete/{guid}",
            "/api/robot/getStatus/{guid}", "/api/robot/setStatus", "/api/robot/heartbeat",
            "/api/robotGroup/create", "/api/robotGroup/read/{guid}", "/api/robotGroup/list", "/api/robotGroup/update",
            "/api/robotGroup/delete/{guid}", "/api/robotGroup/addRobot", "/api/robotGroup/removeRobot",
            "/api/account/create", "/api/account/read/{guid}", "/api/account/list", "/api/account/update", "/api/account/delete/{guid}",
            "/api/key", "/api/key/refresh",
            "/api/queue/create", "/api/queue/read/{guid}", "/api/queue/list", "/api/queue/update", "/api/queue/delete/{guid}",
            "/api/task/create", "/api/task/createBatch", "/api/task/read/{guid}", "/api/task/filter/read/{queue}",
            "/api/task/filter/read/{queue}/{filters}", "/api/task/filter/list", "/api/task/filter/list/{queue}",
            "/api/task/filter/list/{queue}/{filters}", "/api/task/update", "/api/task/delete/{guid}", "/api/task/addTag",
            "/api/task/removeTag", "/api/task/next",
            "/api/asset/create", "/api/asset/read/{guid}", "/api/asset/list", "/api/asset/update", "/api/asset/delete/{guid}",
            "/api/asset/byName/{name}",
            "/api/log/create", "/api/log/createBatch", "/api/log/read/{guid}", "/api/log/list", "/api/log/purge",
            "/api/process/create", "/api/process/read/{guid}", "/api/process/list", "/api/process/update", "/api/process/delete/{guid}",
            "/api/processVersion/create", "/api/processVersion/read/{guid}", "/api/processVersion/list", "/api/processVersion/update",
            "/api/processVersion/delete/{guid}", "/api/processVersion/download/{guid}",
            "/api/job/create", "/api/job/read/{guid}", "/api/job/list", "/api/job/update", "/api/job/delete/{guid}",
            "/api/schedule/create", "/api/schedule/read/{guid}", "/api/schedule/list", "/api/schedule/update", "/api/schedule/delete/{guid}",
            "/api/folders/create", "/api/folders/read/{guid}", "/api/folders/list", "/api/folders/update", "/api/folders/delete/{guid}",
            "/api/files/create", "/api/files/read/{guid}", "/api/files/download/{guid}", "/api/files/list", "/api/files/update",
            "/api/files/delete/{guid}",
        ];
        foreach (var path in expected)
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not on the Swagger page");
        }

        var tags = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value.GetProperty("tags")[0].GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "Robots", "Robot groups", "Processes", "Process versions", "Jobs", "Triggers", "Queues", "Tasks", "Accounts", "API keys", "Assets", "Logs", "Storage" }, tags);
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        var create = paths.GetProperty("/api/robot/create").GetProperty("post").GetProperty("requestBody");
        Assert.Contains("RobotCreateRequest", create.GetRawText());
    }

    [Fact]
    public async Task Health_and_alive_answer_without_a_key()
    {
        using var anonymous = new ApiClient(fixture.Host.Address, null);

        using var health = await anonymous.SendAsync(HttpMethod.Get, "/health");
        using var alive = await anonymous.SendAsync(HttpMethod.Get, "/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedServiceEndpointTests(EmbeddedFixture fixture) : ServiceEndpointTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresServiceEndpointTests(PostgresFixture fixture) : ServiceEndpointTests(fixture);
