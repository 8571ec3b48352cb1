using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Bench;

/// <summary>
/// What the endpoints need, created through the HTTP API: robots of the administrator's account (heartbeat,
/// read), a second account with a robot list of its own, assets of every visibility rule with a robot that may
/// read each (byname), and the log lines robots send (logcreate, logbatch).
/// </summary>
public sealed record Setup(string RobotsFile, string ListKey, string AssetReadsFile, string LogLinesFile, string LogBatchesFile)
{
    /// <summary>Assets created for byname: a quarter visible to a group, a quarter to one robot, half to all; a third are credentials.</summary>
    public const int Assets = 100;

    /// <summary>The file <c>bench.lua</c> reads for the endpoint: robot GUIDs, request paths or request bodies.</summary>
    public string FileFor(string endpoint) => endpoint switch
    {
        "byname" => AssetReadsFile,
        "logcreate" => LogLinesFile,
        "logbatch" => LogBatchesFile,
        _ => RobotsFile,
    };

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

        var assetReadsFile = Path.Combine(folder, "asset-reads.txt");
        await File.WriteAllLinesAsync(assetReadsFile, await CreateAssetsAsync(admin, guids));
        var (lines, batches) = LogBodies(guids);
        var logLinesFile = Path.Combine(folder, "log-lines.txt");
        await File.WriteAllLinesAsync(logLinesFile, lines);
        var logBatchesFile = Path.Combine(folder, "log-batches.txt");
        await File.WriteAllLinesAsync(logBatchesFile, batches);
        return new Setup(robotsFile, listKey, assetReadsFile, logLinesFile, logBatchesFile);
    }

    /// <summary>
    /// A group holding every other robot, and <see cref="Assets"/> assets of each visibility rule; answers, for every
    /// asset, the byName read of a robot the rule lets see it (a member, the named robot, or any).
    /// </summary>
    private static async Task<List<string>> CreateAssetsAsync(HttpClient admin, Guid[] robots)
    {
        using var created = await admin.PostAsync("/api/robotGroup/create", Json("""{"Name": "bench-assets"}"""));
        created.EnsureSuccessStatusCode();
        var group = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("GUID").GetGuid();
        var members = Math.Min(robots.Length, 200);
        for (var i = 0; i < members; i += 2)
        {
            using var added = await admin.PutAsync("/api/robotGroup/addRobot", Json($$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robots[i]}}"}"""));
            added.EnsureSuccessStatusCode();
        }

        var reads = new List<string>(Assets);
        for (var i = 0; i < Assets; i++)
        {
            var (visibility, reader) = (i % 4) switch
            {
                0 => ($"\"RobotType\": 2, \"RobotGroupId\": \"{group}\"", robots[(i * 2) % members & ~1]),
                1 => ($"\"RobotType\": 1, \"RobotId\": \"{robots[i % members]}\"", robots[i % members]),
                _ => ("\"RobotType\": 3", robots[(i * 7) % robots.Length]),
            };
            var kind = i % 3 == 0 ? "\"Type\": 1, \"Text\": \"login\", \"Password\": \"p4ssw0rd-value\"" : "\"Type\": 2, \"Text\": \"some configuration value\"";
            using var asset = await admin.PostAsync("/api/asset/create", Json($$"""{"Name": "asset-{{i}}", {{kind}}, {{visibility}}}"""));
            asset.EnsureSuccessStatusCode();
            reads.Add($"/api/asset/byName/asset-{i}?robot={reader}");
        }

        return reads;
    }

    /// <summary>Log lines as robots send them: single lines of many robots, and batches of 100 lines of one robot's job.</summary>
    private static (List<string> Lines, List<string> Batches) LogBodies(Guid[] robots)
    {
        var lines = new List<string>();
        var batches = new List<string>();
        for (var r = 0; r < Math.Min(robots.Length, 100); r++)
        {
            var job = Guid.NewGuid();
            lines.Add($$"""{"RobotGUID": "{{robots[r]}}", "JobGUID": "{{job}}", "Level": 2, "Message": "Invoice 4711 posted to SAP in 312 ms"}""");
            if (r < 10)
            {
                batches.Add("[" + string.Join(",", Enumerable.Range(0, 100).Select(i =>
                    $$"""{"RobotGUID": "{{robots[r]}}", "JobGUID": "{{job}}", "Level": {{i % 6}}, "Message": "Invoice {{i}} posted to SAP in 312 ms"}""")) + "]");
            }
        }

        return (lines, batches);
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
