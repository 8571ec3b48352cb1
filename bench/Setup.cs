using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Bench;

/// <summary>
/// What the endpoints need, created through the HTTP API: robots of the administrator's account (heartbeat,
/// read), and a second account with a robot list of its own.
/// </summary>
public sealed record Setup(string RobotsFile, string ListKey)
{
    public static async Task<Setup> CreateAsync(Uri server, int robots, int listRobots, string folder)
    {
        using var admin = Client(server, ServerProcess.AdminKey);
        var guids = await CreateRobotsAsync(admin, "bench", robots);

        // A robot's first heartbeat writes its record (Offline → Available, the machine it reports): setup, not
        // the steady state measured. It sends what bench.lua sends for that robot, so the benchmark's own first
        // heartbeat changes nothing; the periodic writes (one per robot per HeartbeatPersistInterval) are measured.
        await Parallel.ForEachAsync(Enumerable.Range(0, guids.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (j, ct) =>
        {
            var i = j + 1; // Lua counts from 1
            var body = $$"""{"GUID": "{{guids[j]}}", "Machine": "WS-{{i}}", "IP": "10.0.{{i / 256}}.{{i % 256}}", "MAC": "00:00:00:00:{{i / 256:x2}}:{{i % 256:x2}}", "Version": "2.4.1"}""";
            using var response = await admin.PostAsync("/api/robot/heartbeat", Json(body), ct);
            response.EnsureSuccessStatusCode();
        });
        var robotsFile = Path.Combine(folder, "robots.txt");
        await File.WriteAllLinesAsync(robotsFile, guids.Select(g => g.ToString()));

        using var created = await admin.PostAsync("/api/account/create", Json("""{"Login": "bench-list", "Password": "bench-list-password"}"""));
        created.EnsureSuccessStatusCode();
        var listKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var lister = Client(server, listKey);
        await CreateRobotsAsync(lister, "listed", listRobots);
        return new Setup(robotsFile, listKey);
    }

    private static async Task<Guid[]> CreateRobotsAsync(HttpClient http, string prefix, int count)
    {
        var guids = new Guid[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await http.PostAsync("/api/robot/create", Json($$"""{"Name": "{{prefix}}-{{i}}"}"""), ct);
            response.EnsureSuccessStatusCode();
            guids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("GUID").GetGuid();
        });
        return guids;
    }

    private static HttpClient Client(Uri server, string key)
    {
        var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
