using System.Net;
using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// What a test sets up and drives through the HTTP API to get jobs run: a process with a version, robots, their
/// heartbeats, jobs, and the reports a robot sends about them.
/// </summary>
public static class JobApiScenario
{
    /// <summary>A process and its one version (a file named <c>bot.robot</c>).</summary>
    public static async Task<(Guid Process, Guid Version)> ProcessWithVersionAsync(ApiClient api, string? minVersion = null, string name = "p")
    {
        var process = (await api.PostAsync("/api/process/create", $$"""{"Name": "{{name}}", "MinVersionToRun": {{minVersion ?? "null"}}}""")).GetProperty("guid").GetGuid();
        var version = (await api.PostAsync(
            "/api/processVersion/create",
            $$"""{"Name": "v1", "ProcessGuid": "{{process}}", "ProcessFile": "UEsDBA==", "ProcessFileName": "bot.robot"}""")).GetProperty("guid").GetGuid();
        return (process, version);
    }

    public static async Task<Guid> RobotAsync(ApiClient api, string name) =>
        (await api.PostAsync("/api/robot/create", JsonSerializer.Serialize(new { Name = name }))).GetProperty("GUID").GetGuid();

    /// <summary>A robot's heartbeat; with <paramref name="wait"/> seconds it long-polls for a command.</summary>
    public static Task<JsonElement> HeartbeatAsync(ApiClient api, Guid robot, int wait = 0, string version = "1.0") =>
        api.PostAsync("/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = robot, Version = version, Wait = wait }));

    /// <summary>Creates a job; answers its GUID, or <see cref="Guid.Empty"/> when the creation was expected to fail.</summary>
    public static async Task<Guid> CreateJobAsync(ApiClient api, string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var created = await api.PostAsync("/api/job/create", body, expected);
        return expected == HttpStatusCode.OK ? created.GetProperty("guid").GetGuid() : Guid.Empty;
    }

    /// <summary>A job status report: from the robot that holds the job, or from a user when <paramref name="robot"/> is null.</summary>
    public static Task UpdateAsync(ApiClient api, Guid job, int status, Guid? robot, HttpStatusCode expected = HttpStatusCode.OK, string? message = null) =>
        api.PostAsync("/api/job/update", JsonSerializer.Serialize(new { Guid = job, Status = status, RobotGuid = robot, Message = message }), expected);

    /// <summary>The jobs a heartbeat's answer tells the robot to start.</summary>
    public static List<Guid> Starts(JsonElement heartbeat) =>
        heartbeat.GetProperty("Commands").EnumerateArray().Where(c => c.GetProperty("Type").GetString() == "StartJob").Select(c => c.GetProperty("JobGUID").GetGuid()).ToList();

    /// <summary>A job of <paramref name="process"/> aimed at <paramref name="robot"/>, handed to it and reported Running.</summary>
    public static async Task<Guid> RunningJobAsync(ApiClient api, Guid process, Guid robot)
    {
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        // Long-polled: the robot's last job may have ended just before, and the dispatcher hands it this one once it
        // has heard the robot is free, which on a busy machine can come after an immediate answer.
        Assert.Equal([job], Starts(await HeartbeatAsync(api, robot, wait: 10)));
        await UpdateAsync(api, job, 1, robot);
        return job;
    }
}
