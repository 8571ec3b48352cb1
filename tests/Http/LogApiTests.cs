using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §13 through real HTTP, on both wirings: writes, filters, keyset paging, purge, tenancy, bad input.</summary>
public abstract class LogApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task A_created_line_is_listed_and_read_with_the_documented_fields()
    {
        using var api = await fixture.NewAccountAsync();
        var robot = await AssetApiTests.RobotAsync(api, "r");
        var robotId = (await api.GetAsync($"/api/robot/read/{robot}")).GetProperty("id").GetInt64();
        var job = Guid.NewGuid();
        var version = Guid.NewGuid();

        var answer = await api.PostAsync("/api/log/create", $$"""
                {
                    "RobotGUID": "{{robot}}",
                    "ProcessVersionGUID": "{{version}}",
                    "JobGUID": "{{job}}",
                    "Level": "3",
                    "Message": "Invoice 42 skipped: no PO number",
                }
            """);
        Assert.Equal(0, answer.GetArrayLength());

        var line = Assert.Single((await api.PostAsync("/api/log/list", "{}")).EnumerateArray());
        Assert.Equal("Invoice 42 skipped: no PO number", line.GetProperty("Message").GetString());
        Assert.Equal(3, line.GetProperty("Level").GetInt32());
        Assert.Equal(robotId, line.GetProperty("robot_id").GetInt64());
        Assert.Equal(robot, line.GetProperty("robot_guid").GetGuid());
        Assert.Equal(job, line.GetProperty("job_guid").GetGuid());
        Assert.Equal(version, line.GetProperty("process_version_guid").GetGuid());
        Assert.True(line.TryGetProperty("job_id", out _));
        Assert.True(line.TryGetProperty("process_version_id", out _));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", line.GetProperty("created_at").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", line.GetProperty("updated_at").GetString());

        var byGuid = await api.GetAsync($"/api/log/read/{line.GetProperty("guid").GetGuid()}");
        var byId = await api.GetAsync($"/api/log/read/{line.GetProperty("id").GetInt64()}");
        Assert.Equal(line.GetRawText(), byGuid.GetRawText());
        Assert.Equal(line.GetRawText(), byId.GetRawText());

        // A line with no robot, job or version, and no level: Info.
        await api.PostAsync("/api/log/create", """{"Message": "plain"}""");
        var plain = (await api.PostAsync("/api/log/list", """{"Take": 1}""")).EnumerateArray().Single();
        Assert.Equal(2, plain.GetProperty("Level").GetInt32());
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("robot_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("robot_guid").ValueKind);
    }

    [Fact]
    public async Task Filters_narrow_the_list_to_robot_job_version_level_time_and_text()
    {
        using var api = await fixture.NewAccountAsync();
        Guid robotA = Guid.NewGuid(), robotB = Guid.NewGuid(), job = Guid.NewGuid(), version = Guid.NewGuid();
        var lines = new List<object>();
        for (var i = 0; i < 30; i++)
        {
            lines.Add(new
            {
                RobotGUID = i % 2 == 0 ? robotA : robotB,
                JobGUID = i % 3 == 0 ? job : (Guid?)null,
                ProcessVersionGUID = i % 5 == 0 ? version : (Guid?)null,
                Level = i % 6,
                Message = i % 10 == 7 ? $"line {i}: Timeout reaching SAP" : $"line {i}",
            });
        }

        await api.PostAsync("/api/log/createBatch", JsonSerializer.Serialize(lines));

        Assert.Equal(Expect(i => i % 2 == 0), await MessagesAsync(api, new { RobotGUID = robotA }));
        Assert.Equal(Expect(i => i % 3 == 0), await MessagesAsync(api, new { JobGUID = job }));
        Assert.Equal(Expect(i => i % 5 == 0), await MessagesAsync(api, new { ProcessVersionGUID = version }));
        Assert.Equal(Expect(i => i % 6 >= 4), await MessagesAsync(api, new { MinLevel = 4 }));
        Assert.Equal(Expect(i => i % 10 == 7), await MessagesAsync(api, new { Text = "Timeout reaching" }));
        Assert.Empty(await MessagesAsync(api, new { Text = "timeout reaching" }));
        Assert.Equal(Expect(i => i % 2 == 1 && i % 6 >= 3), await MessagesAsync(api, new { RobotGUID = robotB, MinLevel = 3 }));

        var now = DateTimeOffset.UtcNow;
        Assert.Equal(30, (await MessagesAsync(api, new { From = now.AddMinutes(-5).ToUnixTimeSeconds(), To = now.AddMinutes(5).ToString("yyyy-MM-dd HH:mm:ss") })).Count);
        Assert.Empty(await MessagesAsync(api, new { From = now.AddMinutes(5).ToString("O") }));
        Assert.Empty(await MessagesAsync(api, new { To = now.AddMinutes(-5).ToUnixTimeSeconds() }));

        // A time range with a robot, a job or a version named is tested along that filter's index.
        Assert.Equal(Expect(i => i % 2 == 0), await MessagesAsync(api, new { RobotGUID = robotA, From = now.AddMinutes(-5).ToUnixTimeSeconds(), To = now.AddMinutes(5).ToUnixTimeSeconds() }));
        Assert.Equal(Expect(i => i % 3 == 0 && i % 6 >= 3), await MessagesAsync(api, new { JobGUID = job, MinLevel = 3, From = now.AddMinutes(-5).ToUnixTimeSeconds() }));
        Assert.Empty(await MessagesAsync(api, new { RobotGUID = robotA, From = now.AddMinutes(5).ToUnixTimeSeconds() }));
        Assert.Empty(await MessagesAsync(api, new { ProcessVersionGUID = version, To = now.AddMinutes(-5).ToUnixTimeSeconds() }));

        static List<string> Expect(Func<int, bool> keep) =>
            Enumerable.Range(0, 30).Where(keep).Reverse().Select(i => i % 10 == 7 ? $"line {i}: Timeout reaching SAP" : $"line {i}").ToList();
    }

    [Fact]
    public async Task A_line_naming_a_job_carries_the_job_and_its_version_and_lists_under_both()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, version) = await JobApiTests.ProcessWithVersionAsync(api);
        var (_, otherVersion) = await JobApiTests.ProcessWithVersionAsync(api, name: "other");
        var robot = await AssetApiTests.RobotAsync(api, "r");
        var job = await JobApiTests.CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        var jobId = (await api.GetAsync($"/api/job/read/{job}")).GetProperty("id").GetInt64();
        var versionId = (await api.GetAsync($"/api/processVersion/read/{version}")).GetProperty("id").GetInt64();
        var otherVersionId = (await api.GetAsync($"/api/processVersion/read/{otherVersion}")).GetProperty("id").GetInt64();
        var unknownJob = Guid.NewGuid();

        using var intruder = await fixture.NewAccountAsync();
        var (_, intruderVersion) = await JobApiTests.ProcessWithVersionAsync(intruder);

        await api.PostAsync("/api/log/create", $$"""{"JobGUID": "{{job}}", "Message": "job only"}""");
        await api.PostAsync("/api/log/createBatch", $$"""
            [
                {"JobGUID": "{{job}}", "ProcessVersionGUID": "{{otherVersion}}", "Message": "job and another version"},
                {"ProcessVersionGUID": "{{otherVersion}}", "Message": "version only"},
                {"JobGUID": "{{unknownJob}}", "Message": "unknown job"},
                {"ProcessVersionGUID": "{{intruderVersion}}", "Message": "another account's version"},
                {"JobGUID": "{{job}}", "Message": "job again"}
            ]
            """);
        await intruder.PostAsync("/api/log/create", $$"""{"JobGUID": "{{job}}", "Message": "another account's job"}""");

        var lines = (await api.PostAsync("/api/log/list", "{}")).EnumerateArray().ToDictionary(l => l.GetProperty("Message").GetString()!);
        foreach (var message in new[] { "job only", "job and another version", "job again" })
        {
            Assert.Equal(jobId, lines[message].GetProperty("job_id").GetInt64());
            Assert.Equal(job, lines[message].GetProperty("job_guid").GetGuid());
            Assert.Equal(versionId, lines[message].GetProperty("process_version_id").GetInt64());
            Assert.Equal(version, lines[message].GetProperty("process_version_guid").GetGuid());
        }

        Assert.Equal(JsonValueKind.Null, lines["version only"].GetProperty("job_id").ValueKind);
        Assert.Equal(otherVersionId, lines["version only"].GetProperty("process_version_id").GetInt64());
        Assert.Equal(JsonValueKind.Null, lines["unknown job"].GetProperty("job_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, lines["unknown job"].GetProperty("process_version_id").ValueKind);
        Assert.Equal(unknownJob, lines["unknown job"].GetProperty("job_guid").GetGuid());
        Assert.Equal(JsonValueKind.Null, lines["another account's version"].GetProperty("process_version_id").ValueKind);
        Assert.Equal(intruderVersion, lines["another account's version"].GetProperty("process_version_guid").GetGuid());
        var foreign = Assert.Single((await intruder.PostAsync("/api/log/list", "{}")).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, foreign.GetProperty("job_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, foreign.GetProperty("process_version_id").ValueKind);

        Assert.Equal(["job again", "job and another version", "job only"], await MessagesAsync(api, new { JobGUID = job }));
        Assert.Equal(["job again", "job and another version", "job only"], await MessagesAsync(api, new { ProcessVersionGUID = version }));
        Assert.Equal(["version only"], await MessagesAsync(api, new { ProcessVersionGUID = otherVersion }));
    }

    [Fact]
    public async Task Before_pages_back_newest_first_and_After_follows_oldest_first()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/log/createBatch", JsonSerializer.Serialize(Enumerable.Range(0, 250).Select(i => new { Message = $"m{i}" })));

        var first = await PageAsync(api, new { });
        Assert.Equal(100, first.Count);
        Assert.Equal("m249", first[0].Message);
        var all = new List<(long Id, string Message)>(first);
        for (var page = first; page.Count > 0;)
        {
            page = await PageAsync(api, new { Before = page[^1].Id, Take = 70 });
            all.AddRange(page);
        }

        Assert.Equal(Enumerable.Range(0, 250).Reverse().Select(i => $"m{i}"), all.Select(l => l.Message));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Id > p.Second.Id));

        var tail = await PageAsync(api, new { After = all[^1].Id - 1, Take = 1000 });
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"m{i}"), tail.Select(l => l.Message));
        Assert.Empty(await PageAsync(api, new { After = all[0].Id }));
    }

    [Fact]
    public async Task Paging_back_and_following_while_lines_are_written_skips_and_repeats_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/log/createBatch", JsonSerializer.Serialize(Enumerable.Range(0, 300).Select(i => new { Message = $"old {i}" })));
        var first = await PageAsync(api, new { Take = 50 });
        var newestOld = first[0].Id;

        // A writer keeps adding lines while a reader pages back from the first page and a follower tails from it.
        const int written = 200;
        using var writerClient = fixture.Host.Client(api.Key!);
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < written; i++)
            {
                await writerClient.PostAsync("/api/log/create", JsonSerializer.Serialize(new { Message = $"new {i}" }));
            }
        });

        var back = new List<(long Id, string Message)>(first);
        for (var page = first; page.Count > 0;)
        {
            page = await PageAsync(api, new { Before = page[^1].Id, Take = 17 });
            back.AddRange(page);
        }

        var followed = new List<(long Id, string Message)>();
        var cursor = newestOld;
        while (true)
        {
            var done = writer.IsCompleted;
            var page = await PageAsync(api, new { After = cursor, Take = 13 });
            followed.AddRange(page);
            if (page.Count > 0)
            {
                cursor = page[^1].Id;
            }
            else if (done)
            {
                break;
            }
        }

        await writer;
        Assert.Equal(Enumerable.Range(0, 300).Reverse().Select(i => $"old {i}"), back.Select(l => l.Message));
        Assert.Equal(Enumerable.Range(0, written).Select(i => $"new {i}"), followed.Select(l => l.Message));
    }

    [Fact]
    public async Task Purge_deletes_the_accounts_lines_created_before_the_time_and_no_others()
    {
        using var api = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        await api.PostAsync("/api/log/createBatch", JsonSerializer.Serialize(Enumerable.Range(0, 6000).Select(i => new { Message = $"old {i}" })));
        await other.PostAsync("/api/log/create", """{"Message": "someone else's"}""");

        // The next whole second: every line so far was created before it; wait until it has passed.
        var boundary = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < (boundary * 1000) + 5)
        {
            await Task.Delay(20);
        }

        await api.PostAsync("/api/log/create", """{"Message": "kept"}""");
        await api.DeleteAsync("/api/log/purge", $$"""{"Time": {{boundary - 3600}}}""");
        Assert.Equal(1000, (await PageAsync(api, new { Take = 1000, Text = "old" })).Count);

        Assert.Equal(0, (await api.DeleteAsync("/api/log/purge", $$"""{"Time": "{{boundary}}"}""")).GetArrayLength());

        Assert.Equal(["kept"], (await PageAsync(api, new { Take = 1000 })).Select(l => l.Message));
        Assert.Equal(["someone else's"], (await PageAsync(other, new { })).Select(l => l.Message));
    }

    [Fact]
    public async Task Another_accounts_lines_answer_404_and_never_list()
    {
        using var owner = await fixture.NewAccountAsync();
        using var intruder = await fixture.NewAccountAsync();
        var robot = Guid.NewGuid();
        await owner.PostAsync("/api/log/create", $$"""{"RobotGUID": "{{robot}}", "Message": "private"}""");
        var line = (await PageAsync(owner, new { })).Single();

        await intruder.GetAsync($"/api/log/read/{line.Id}", HttpStatusCode.NotFound);
        var read = await owner.GetAsync($"/api/log/read/{line.Id}");
        await intruder.GetAsync($"/api/log/read/{read.GetProperty("guid").GetGuid()}", HttpStatusCode.NotFound);
        Assert.Empty(await PageAsync(intruder, new { RobotGUID = robot }));
        Assert.Empty(await PageAsync(intruder, new { }));
        await intruder.DeleteAsync("/api/log/purge", $$"""{"Time": {{DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds()}}}""");
        Assert.Single(await PageAsync(owner, new { }));
    }

    [Theory]
    [InlineData("/api/log/create", """{"Level": 2}""", "Message")]
    [InlineData("/api/log/create", """{"Message": "m", "Level": 6}""", "Level")]
    [InlineData("/api/log/create", """{"Message": "m", "Level": "Info"}""", "Level")]
    [InlineData("/api/log/create", """{"Message": "m", "RobotGUID": "robot-1"}""", "RobotGUID")]
    [InlineData("/api/log/create", """{"Message": "m", "JobGUID": 12}""", "JobGUID")]
    [InlineData("/api/log/create", """{"Message": "m", "ProcessVersionGUID": "x"}""", "ProcessVersionGUID")]
    [InlineData("/api/log/create", """{"Message": "a\u0000b"}""", "Message")]
    [InlineData("/api/log/create", """[{"Message": "m"}]""", "body")]
    [InlineData("/api/log/createBatch", """[{"Message": "m"}, {"Level": 1}]""", "[1].Message")]
    [InlineData("/api/log/createBatch", """[{"Message": "m"}, null]""", "[1]")]
    [InlineData("/api/log/createBatch", """[{"Message": "m", "Level": -1}]""", "[0].Level")]
    [InlineData("/api/log/createBatch", """{"Message": "m"}""", "body")]
    [InlineData("/api/log/list", """{"Take": 1001}""", "Take")]
    [InlineData("/api/log/list", """{"Take": 0}""", "Take")]
    [InlineData("/api/log/list", """{"Before": 5, "After": 3}""", "After")]
    [InlineData("/api/log/list", """{"Before": "x"}""", "Before")]
    [InlineData("/api/log/list", """{"MinLevel": 9}""", "MinLevel")]
    [InlineData("/api/log/list", """{"RobotGUID": "r"}""", "RobotGUID")]
    [InlineData("/api/log/list", """{"From": "yesterday"}""", "From")]
    [InlineData("/api/log/list", """{"To": "tomorrow"}""", "To")]
    public async Task Writes_and_lists_with_bad_input_name_the_field(string path, string body, string field)
    {
        using var api = await fixture.NewAccountAsync();

        var problem = await api.PostAsync(path, body, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected a problem naming {field}: {problem.GetRawText()}");
        Assert.Empty(await PageAsync(api, new { }));
    }

    [Fact]
    public async Task Purge_and_read_with_bad_input_name_the_field()
    {
        using var api = await fixture.NewAccountAsync();

        foreach (var body in new[] { "{}", """{"Time": "soon"}""", """{"Time": null}""" })
        {
            var problem = await api.DeleteAsync("/api/log/purge", body, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("Time", out _));
        }

        Assert.True((await api.GetAsync("/api/log/read/nope", HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("guid", out _));
        await api.GetAsync($"/api/log/read/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await api.GetAsync("/api/log/read/0", HttpStatusCode.NotFound);
    }

    private static async Task<List<string>> MessagesAsync(ApiClient api, object filter) =>
        (await PageAsync(api, filter)).Select(l => l.Message).ToList();

    internal static async Task<List<(long Id, string Message)>> PageAsync(ApiClient api, object filter) =>
        (await api.PostAsync("/api/log/list", JsonSerializer.Serialize(filter))).EnumerateArray()
            .Select(l => (l.GetProperty("id").GetInt64(), l.GetProperty("Message").GetString()!))
            .ToList();
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedLogApiTests(EmbeddedFixture fixture) : LogApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresLogApiTests(PostgresFixture fixture) : LogApiTests(fixture);
