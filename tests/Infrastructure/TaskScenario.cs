using System.Net;
using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>What a test does with a queue's tasks through the task API (API.md §9) the way a robot does it.</summary>
public static class TaskScenario
{
    /// <summary>Takes the next task of the queue; null on 204.</summary>
    public static async Task<JsonElement?> TakeAsync(ApiClient api, string queue)
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/task/next", $$"""{"QueueGuid": "{{queue}}"}""");
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"next: {(int)response.StatusCode} {text}");
        return ApiClient.Parse(text);
    }

    /// <summary>A queue <c>q</c> holding one New task <c>t</c>, and a robot running a job of the account.</summary>
    public static async Task<(Guid Robot, Guid Job)> QueueAndRunningJobAsync(ApiClient api)
    {
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var robot = await JobApiScenario.RobotAsync(api, "r");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        return (robot, await JobApiScenario.RunningJobAsync(api, process, robot));
    }
}
