using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Logs;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §13 through real HTTP, on both wirings: writes, filters, keyset paging, purge, tenancy, bad input.</summary>
public abstract class LogApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task A_created_line_is_listed_and_read_with_the_documented_fields()
    {
        using var api = await fixture.NewAccountAsync();
        var robot = await JobApiScenario.RobotAsync(api, "r");
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
        var (process, version) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (_, otherVersion) = await JobApiScenario.ProcessWithVersionAsync(api, name: "other");
        var robot = await JobApiScenario.RobotAsync(api, "r");
        var job = await JobApiScenario.CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        var jobId = (await api.GetAsync($"/api/job/read/{job}")).GetProperty("id").GetInt64();
        var versionId = (await api.GetAsync($"/api/processVersion/read/{version}")).GetProperty("id").GetInt64();
        var otherVersionId = (await api.GetAsync($"/api/processVersion/read/{otherVersion}")).GetProperty("id").GetInt64();
        var unknownJob = Guid.NewGuid();

        using var intruder = await fixture.NewAccountAsync();
        var (_, intruderVersion) = await JobApiScenario.ProcessWithVersionAsync(intruder);

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
    public async Task Text_finds_substrings_mid_word_case_as_sent_with_the_text_index_and_without()
    {
        using var api = await fixture.NewAccountAsync();
        string[] messages =
        [
            "Invoice 1042 posted to SAPGUI in 312 ms",
            "invoice 1043 POSTED to sap",
            "50% done_ok (path C:\\temp\\a_b) said \"quoted\"",
            "Zählerstand übertragen: 17 Einträge",
            "xy",
            "mood 😀x then 😀😀",
        ];
        await api.PostAsync("/api/log/createBatch", JsonSerializer.Serialize(messages.Select(m => new { Message = m })));

        // Each text against every message: a substring test, case as sent, whatever the text's length (under three
        // characters the trigram index cannot answer and the lines are tested one by one) or its characters (LIKE's
        // wildcards, the escape character, quotes, non-ASCII letters mean themselves).
        string[] texts =
        [
            "voice 104", "nvoice", "Invoice", "invoice", "POSTED", "posted", "to SAP", "SAPGUI", "sap", "APG", "AP", "a", "x", "xy", "xyz",
            "0%", "% d", "_ok", "e_o", "\\temp\\", "C:\\", "\"quoted\"", "d \"q", "ählerst", "Einträge", "ÄHLER", "1042 posted to SAPGUI in 312 ms",
            "no such words", "%", "_", "\\", "😀x", "😀😀", "d 😀", "😀",
        ];
        foreach (var text in texts)
        {
            var expected = messages.Where(m => m.Contains(text, StringComparison.Ordinal)).Reverse().ToList();
            Assert.True(expected.SequenceEqual(await MessagesAsync(api, new { Text = text })), $"text {text}");
        }
    }

    [Fact]
    public async Task Paging_through_a_text_search_back_and_forth_skips_and_repeats_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/log/createBatch", JsonSerializer.Serialize(
            Enumerable.Range(0, 400).Select(i => new { Level = i % 5, Message = i % 3 == 0 ? $"step {i}: Timeout reaching SAP" : $"step {i}: posted" })));
        var expected = Enumerable.Range(0, 400).Where(i => i % 3 == 0).Reverse().Select(i => $"step {i}: Timeout reaching SAP").ToList();

        var back = new List<(long Id, string Message)>();
        for (var page = await PageAsync(api, new { Text = "Timeout", Take = 7 }); page.Count > 0; page = await PageAsync(api, new { Text = "Timeout", Take = 7, Before = page[^1].Id }))
        {
            back.AddRange(page);
        }

        Assert.Equal(expected, back.Select(l => l.Message));
        var forth = new List<(long Id, string Message)>();
        for (var page = await PageAsync(api, new { Text = "Timeout", Take = 9, After = 0 }); page.Count > 0; page = await PageAsync(api, new { Text = "Timeout", Take = 9, After = page[^1].Id }))
        {
            forth.AddRange(page);
        }

        Assert.Equal(Enumerable.Reverse(expected), forth.Select(l => l.Message));

        // With the level and with a cursor from the middle.
        var errors = Enumerable.Range(0, 400).Where(i => i % 3 == 0 && i % 5 >= 3).Reverse().Select(i => $"step {i}: Timeout reaching SAP").ToList();
        Assert.Equal(errors, await MessagesAsync(api, new { Text = "reaching SAP", MinLevel = 3, Take = 1000 }));
        Assert.Equal(expected.Skip(10).Take(5), await MessagesAsync(api, new { Text = "Timeout", Before = back[9].Id, Take = 5 }));
    }

    [Fact]
    public async Task After_a_purge_the_text_index_holds_none_of_the_purged_lines()
    {
        using var api = await fixture.NewAccountAsync();
        var account = await TenantAccount.IdAsync(api);
        var writer = fixture.Host.Services.GetRequiredService<LogWriter>();
        var old = DateTimeOffset.UnixEpoch.AddYears(40);
        await writer.WriteAsync([.. Enumerable.Range(0, 300).Select(i => new LogLine(Guid.NewGuid(), account, null, null, null, 2, $"purged marker {i}", old.AddSeconds(i)))]);
        await api.PostAsync("/api/log/create", """{"Message": "kept marker"}""");
        Assert.Equal(301, (await PageAsync(api, new { Text = "marker", Take = 1000 })).Count);

        await api.DeleteAsync("/api/log/purge", $$"""{"Time": {{old.AddDays(1).ToUnixTimeSeconds()}}}""");

        Assert.Equal(["kept marker"], await MessagesAsync(api, new { Text = "marker" }));
        Assert.Empty(await MessagesAsync(api, new { Text = "purged" }));
        var database = fixture.Host.Services.GetRequiredService<OrchestratorDatabase>();
        if (database.Kind == DatabaseKind.Sqlite)
        {
            // The text index itself, not only the lines it leads to: no entry for a purged line is left, and the
            // index agrees with the table entry for entry (FTS5's own check fails the statement otherwise).
            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM logs_text WHERE logs_text MATCH '\"marker\"' AND rowid IN (SELECT id FROM logs WHERE account_id = @account)", ("@account", account)));
            Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM logs_text WHERE logs_text MATCH '\"purged marker\"'"));
            await database.ExecuteAsync("INSERT INTO logs_text (logs_text, rank) VALUES ('integrity-check', 1)");
        }
    }

    [Fact]
    public async Task A_time_range_is_exact_when_ids_are_out_of_step_with_times()
    {
        using var api = await fixture.NewAccountAsync();
        var account = await TenantAccount.IdAsync(api);
        var writer = fixture.Host.Services.GetRequiredService<LogWriter>();
        var t0 = DateTimeOffset.UnixEpoch.AddYears(45);
        var written = new List<(string Message, DateTimeOffset Created)>();

        // In id order: a line stamped late, 60 lines a second apart, 200 newer ones, then three stamped inside the
        // early range (written late: the highest ids) and one stamped before everything.
        await Write([("stamped late", t0.AddSeconds(5_000))]);
        await Write([.. Enumerable.Range(0, 60).Select(i => ($"early {i}", t0.AddSeconds(i)))]);
        await Write([.. Enumerable.Range(0, 200).Select(i => ($"newer {i}", t0.AddSeconds(1_000 + i)))]);
        await Write([("late but early 1", t0.AddSeconds(15)), ("late but early 2", t0.AddSeconds(10)), ("late but early 3", t0.AddSeconds(20))]);
        await Write([("stamped early", t0.AddSeconds(-100))]);

        // Ranges deep in the past (read from the time index), recent ones (walked by id), open on either side,
        // empty ones; each paged back and followed in small pages. The page is the same whichever way it was read.
        (int? From, int? To)[] ranges = [(10, 20), (0, 59), (15, 15), (-100, 0), (1_000, 1_199), (1_150, 9_000), (4_000, 6_000), (10, null), (null, 20), (30, 40), (70, 900), (9_000, null), (null, -200)];
        foreach (var (from, to) in ranges)
        {
            var expected = written
                .Where(l => (from is null || l.Created >= t0.AddSeconds(from.Value)) && (to is null || l.Created <= t0.AddSeconds(to.Value)))
                .Select(l => l.Message)
                .ToList();
            var filter = new Dictionary<string, object>();
            if (from is { } f)
            {
                filter["From"] = t0.AddSeconds(f).ToUnixTimeSeconds();
            }

            if (to is { } t)
            {
                filter["To"] = t0.AddSeconds(t).ToUnixTimeSeconds();
            }

            var back = new List<(long Id, string Message)>();
            for (var page = await PageAsync(api, With(filter, ("Take", 4))); page.Count > 0; page = await PageAsync(api, With(filter, ("Take", 4), ("Before", page[^1].Id))))
            {
                back.AddRange(page);
            }

            var forth = new List<(long Id, string Message)>();
            for (var page = await PageAsync(api, With(filter, ("Take", 6), ("After", 0L))); page.Count > 0; page = await PageAsync(api, With(filter, ("Take", 6), ("After", page[^1].Id))))
            {
                forth.AddRange(page);
            }

            Assert.True(Enumerable.Reverse(expected).SequenceEqual(back.Select(l => l.Message)), $"back through {from}..{to}: {string.Join(", ", back.Select(l => l.Message))}");
            Assert.True(expected.SequenceEqual(forth.Select(l => l.Message)), $"forth through {from}..{to}: {string.Join(", ", forth.Select(l => l.Message))}");
        }

        async Task Write(List<(string Message, DateTimeOffset Created)> lines)
        {
            await writer.WriteAsync([.. lines.Select(l => new LogLine(Guid.NewGuid(), account, null, null, null, 2, l.Message, l.Created))]);
            written.AddRange(lines);
        }

        static Dictionary<string, object> With(Dictionary<string, object> filter, params (string Name, object Value)[] more)
        {
            var copy = new Dictionary<string, object>(filter);
            foreach (var (name, value) in more)
            {
                copy[name] = value;
            }

            return copy;
        }
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
    [InlineData("/api/log/create", """{"Message": "m", "JobGUID": -12}""", "JobGUID")]
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

        ProblemAssert.NamesField(problem, field);
        Assert.Empty(await PageAsync(api, new { }));
    }

    [Fact]
    public async Task A_line_may_name_its_robot_job_and_version_by_numeric_id_and_the_list_filter_too()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, version) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robot = await JobApiScenario.RobotAsync(api, "r");
        var job = await JobApiScenario.RunningJobAsync(api, process, robot);
        long Id(JsonElement read) => read.GetProperty("id").GetInt64();
        var robotId = Id(await api.GetAsync($"/api/robot/read/{robot}"));
        var jobId = Id(await api.GetAsync($"/api/job/read/{job}"));
        var versionId = Id(await api.GetAsync($"/api/processVersion/read/{version}"));

        await api.PostAsync("/api/log/create", $$"""{"Message": "by ids", "RobotGUID": "{{robotId}}", "JobGUID": {{jobId}}, "ProcessVersionGUID": "{{versionId}}"}""");
        await api.PostAsync("/api/log/createBatch", $$"""[{"Message": "one", "RobotGUID": {{robotId}}}, {"Message": "two", "RobotGUID": {{robotId}}}]""");

        var line = Assert.Single((await api.PostAsync("/api/log/list", $$"""{"JobGUID": {{jobId}}}""")).EnumerateArray());
        Assert.Equal("by ids", line.GetProperty("Message").GetString());
        Assert.Equal(robot, line.GetProperty("robot_guid").GetGuid());
        Assert.Equal(job, line.GetProperty("job_guid").GetGuid());
        Assert.Equal(version, line.GetProperty("process_version_guid").GetGuid());
        Assert.Equal(3, (await api.PostAsync("/api/log/list", $$"""{"RobotGUID": "{{robotId}}"}""")).GetArrayLength());
        Assert.Equal(3, (await api.PostAsync("/api/log/list", $$"""{"RobotGUID": "{{robot}}"}""")).GetArrayLength());

        // An id that names nothing of the caller's is a 404, and nothing is written.
        await api.PostAsync("/api/log/create", $$"""{"Message": "nobody", "RobotGUID": {{robotId + 100_000}}}""", HttpStatusCode.NotFound);
        await api.PostAsync("/api/log/createBatch", $$"""[{"Message": "x"}, {"Message": "y", "JobGUID": {{jobId + 100_000}}}]""", HttpStatusCode.NotFound);
        Assert.Equal(3, (await api.PostAsync("/api/log/list", "{}")).GetArrayLength());
    }

    [Fact]
    public async Task A_date_in_a_local_form_is_refused_rather_than_read_another_way()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/log/create", """{"Message": "keep me"}""");

        // Day first or month first? Neither is guessed: a purge by it would delete lines meant to stay.
        foreach (var time in new[] { "12.03.2026", "03/12/2026", "1.5", "12:00", "2026-03-12T10" })
        {
            var problem = await api.DeleteAsync("/api/log/purge", JsonSerializer.Serialize(new { Time = time }), HttpStatusCode.BadRequest);
            ProblemAssert.NamesField(problem, "Time");
        }

        Assert.Equal(1, (await api.PostAsync("/api/log/list", "{}")).GetArrayLength());

        // The documented forms are read: the list's bounds around the line's own time.
        foreach (var (from, to) in new[] { ("2000-01-01", "2999-12-31 23:59"), ("2000-01-01T00:00:00Z", "2999-12-31T23:59:59.5+03:00"), ("946684800", "32503680000") })
        {
            Assert.Equal(1, (await api.PostAsync("/api/log/list", JsonSerializer.Serialize(new { From = from, To = to }))).GetArrayLength());
        }
    }

    [Fact]
    public async Task Purge_and_read_with_bad_input_name_the_field()
    {
        using var api = await fixture.NewAccountAsync();

        foreach (var body in new[] { "{}", """{"Time": "soon"}""", """{"Time": null}""" })
        {
            var problem = await api.DeleteAsync("/api/log/purge", body, HttpStatusCode.BadRequest);
            ProblemAssert.NamesField(problem, "Time");
        }

        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/log/read/nope", HttpStatusCode.BadRequest), "guid");
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
