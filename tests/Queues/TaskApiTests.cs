using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Queues;

/// <summary>API.md §9 through real HTTP, on both wirings.</summary>
public abstract class TaskApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Create_with_every_field_and_read_by_guid_or_name_answers_the_documented_fields()
    {
        using var api = await fixture.NewAccountAsync();
        var queue = await api.PostAsync("/api/queue/create", """{"Name": "Invoices"}""");

        var created = await api.PostAsync("/api/task/create", """
            {
              "Name": "123", "QueueGuid": "Invoices", "Description": "d", "Comment": "c",
              "Deadline": "2030-01-02 03:04:05", "Retries": "2", "Parameters": {"invoice": 42},
              "Priority": 2, "Postponed": 1590481487, "Tags": "a;b;",
            }
            """);
        var guid = created.GetProperty("guid").GetGuid();

        foreach (var reference in new[] { guid.ToString(), "123" })
        {
            var task = await api.GetAsync($"/api/task/read/{reference}");
            Assert.Equal(guid, task.GetProperty("guid").GetGuid());
            Assert.Equal(created.GetProperty("id").GetInt64(), task.GetProperty("id").GetInt64());
            Assert.Equal(queue.GetProperty("id").GetInt64(), task.GetProperty("queue_id").GetInt64());
            Assert.Equal("123", task.GetProperty("name").GetString());
            Assert.Equal("d", task.GetProperty("description").GetString());
            Assert.Equal("c", task.GetProperty("comment").GetString());
            Assert.Equal(0, task.GetProperty("status").GetInt32());
            Assert.Equal(2, task.GetProperty("priority").GetInt32());
            Assert.Equal(2, task.GetProperty("retries").GetInt32());
            Assert.Equal("2030-01-02 03:04:05", task.GetProperty("deadline").GetString());
            Assert.Equal("2020-05-26 08:24:47", task.GetProperty("postponed").GetString());
            Assert.Equal(JsonValueKind.Null, task.GetProperty("started").ValueKind);
            Assert.Equal(JsonValueKind.Null, task.GetProperty("job_id").ValueKind);
            Assert.Equal(JsonValueKind.Null, task.GetProperty("parent_task").ValueKind);
            Assert.Equal(0, task.GetProperty("is_deleted").GetInt32());
            Assert.Equal("a;b;", task.GetProperty("tags").GetString());
            Assert.Equal(42, task.GetProperty("parameters").GetProperty("invoice").GetInt32());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", task.GetProperty("created").GetString());
        }
    }

    [Fact]
    public async Task Next_hands_out_by_priority_then_deadline_then_age_and_skips_postponed_tasks()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        string[] names = ["low", "normal-old", "normal-new", "normal-late-deadline", "normal-soon-deadline", "high", "high-postponed"];
        await api.PostAsync("/api/task/create", """{"Name": "low", "QueueGuid": "q", "Priority": 0}""");
        await api.PostAsync("/api/task/create", """{"Name": "normal-old", "QueueGuid": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "normal-new", "QueueGuid": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "normal-late-deadline", "QueueGuid": "q", "Deadline": "2031-01-01T00:00:00Z"}""");
        await api.PostAsync("/api/task/create", """{"Name": "normal-soon-deadline", "QueueGuid": "q", "Deadline": "2030-01-01 00:00:00"}""");
        await api.PostAsync("/api/task/create", """{"Name": "high", "QueueGuid": "q", "Priority": 2}""");
        await api.PostAsync("/api/task/create", """{"Name": "high-postponed", "QueueGuid": "q", "Priority": 2, "Postponed": "2999-01-01 00:00:00"}""");

        var order = new List<string>();
        while (await TaskScenario.TakeAsync(api, "q") is { } task)
        {
            Assert.Equal(1, task.GetProperty("status").GetInt32());
            Assert.NotEqual(JsonValueKind.Null, task.GetProperty("started").ValueKind);
            order.Add(task.GetProperty("name").GetString()!);
        }

        Assert.Equal(["high", "normal-soon-deadline", "normal-late-deadline", "normal-old", "normal-new", "low"], order);
        Assert.Equal(0, (await api.GetAsync("/api/task/read/high-postponed")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Next_binds_the_task_to_the_job_and_robot_given()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var robot = await api.PostAsync("/api/robot/create", """{"Name": "r"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var job = await JobApiScenario.RunningJobAsync(api, process, robot.GetProperty("guid").GetGuid());

        var task = await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "RobotGuid": {{robot.GetProperty("id").GetInt64()}}, "JobGuid": "{{job}}"}""");

        Assert.Equal(job, task.GetProperty("job_id").GetGuid());
        Assert.Equal(robot.GetProperty("guid").GetGuid(), task.GetProperty("robot_id").GetGuid());
        Assert.Equal(job, (await api.PostAsync($"/api/task/filter/list/q/job={job}", "{}"))[0].GetProperty("job_id").GetGuid());
        Assert.Null(await TaskScenario.TakeAsync(api, "q"));
    }

    [Fact]
    public async Task Next_for_a_job_that_is_not_the_callers_or_not_Running_takes_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var pending = await JobApiScenario.CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}"}""");

        await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "JobGuid": "{{Guid.NewGuid()}}"}""", HttpStatusCode.NotFound);
        var conflict = await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "JobGuid": "{{pending}}"}""", HttpStatusCode.Conflict);
        Assert.Equal("JobGuid", conflict.GetProperty("field").GetString());
        Assert.Equal(0, (await api.GetAsync("/api/task/read/t")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Next_by_robot_guid_for_a_Running_job_binds_both_and_once_the_job_ended_takes_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/task/create", """{"Name": "first", "QueueGuid": "q", "Priority": 2}""");
        await api.PostAsync("/api/task/create", """{"Name": "second", "QueueGuid": "q"}""");
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var job = await JobApiScenario.RunningJobAsync(api, process, robot);
        var take = JsonSerializer.Serialize(new { QueueGuid = "q", RobotGuid = robot, JobGuid = job });

        var task = await api.PostAsync("/api/task/next", take);
        Assert.Equal("first", task.GetProperty("name").GetString());
        Assert.Equal(job, task.GetProperty("job_id").GetGuid());
        Assert.Equal(robot, task.GetProperty("robot_id").GetGuid());

        // The job ends: the take's own check sees it, and the next task stays New.
        await JobApiScenario.UpdateAsync(api, job, 2, robot);
        var conflict = await api.PostAsync("/api/task/next", take, HttpStatusCode.Conflict);
        Assert.Equal("JobGuid", conflict.GetProperty("field").GetString());
        Assert.Equal(0, (await api.GetAsync("/api/task/read/second")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Next_with_another_accounts_Running_job_or_robot_is_a_404_and_takes_nothing()
    {
        using var other = await fixture.NewAccountAsync();
        var otherRobot = (await other.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("guid").GetGuid();
        var (otherProcess, _) = await JobApiScenario.ProcessWithVersionAsync(other);
        var otherJob = await JobApiScenario.RunningJobAsync(other, otherProcess, otherRobot);

        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "later", "QueueGuid": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "last", "QueueGuid": "q"}""");
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("guid").GetGuid();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var job = await JobApiScenario.RunningJobAsync(api, process, robot);

        var notMyJob = await api.PostAsync(
            "/api/task/next", JsonSerializer.Serialize(new { QueueGuid = "q", RobotGuid = robot, JobGuid = otherJob }), HttpStatusCode.NotFound);
        Assert.Equal("Job not found.", notMyJob.GetProperty("title").GetString());
        var notMyRobot = await api.PostAsync(
            "/api/task/next", JsonSerializer.Serialize(new { QueueGuid = "q", RobotGuid = otherRobot, JobGuid = job }), HttpStatusCode.NotFound);
        Assert.Equal("Robot not found.", notMyRobot.GetProperty("title").GetString());
        Assert.Equal(0, (await api.GetAsync("/api/task/read/t")).GetProperty("status").GetInt32());

        // A refused take leaves the order as it was: the first task is still the next one.
        Assert.Equal("t", (await api.PostAsync("/api/task/next", JsonSerializer.Serialize(new { QueueGuid = "q", RobotGuid = robot, JobGuid = job })))
            .GetProperty("name").GetString());
    }

    [Fact]
    public async Task Completion_stores_status_and_result_and_an_illegal_transition_is_a_conflict()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var guid = (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("guid").GetGuid();

        Assert.Equal(0, (await api.PutAsync("/api/task/update", $$$"""{"Guid": "{{{guid}}}", "Status": "2", "Result": {"total": 7}}""")).GetArrayLength());

        var done = await api.GetAsync($"/api/task/read/{guid}");
        Assert.Equal(2, done.GetProperty("status").GetInt32());
        Assert.Equal(7, done.GetProperty("result").GetProperty("total").GetInt32());
        var problem = await api.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 1}""", HttpStatusCode.Conflict);
        Assert.Equal("Status", problem.GetProperty("field").GetString());
        Assert.Equal(2, (await api.GetAsync($"/api/task/read/{guid}")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_failed_task_with_retries_left_spawns_its_retry_and_the_chain_is_readable()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var original = await api.PostAsync("/api/task/create", """{"Name": "flaky", "QueueGuid": "q", "Retries": 2, "Parameters": "{\"x\": 1}", "Priority": 2}""");

        var chain = new List<JsonElement>();
        while (await TaskScenario.TakeAsync(api, "q") is { } task)
        {
            chain.Add(task);
            await api.PutAsync("/api/task/update", $$"""{"Guid": "{{task.GetProperty("guid").GetGuid()}}", "Status": 3, "Result": "boom"}""");
        }

        Assert.Equal(3, chain.Count);
        Assert.Equal(original.GetProperty("id").GetInt64(), chain[0].GetProperty("id").GetInt64());
        Assert.Equal([2, 1, 0], chain.Select(t => t.GetProperty("retries").GetInt32()));
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].GetProperty("id").GetInt64(), chain[i].GetProperty("parent_task").GetInt64());
            Assert.Equal("flaky", chain[i].GetProperty("name").GetString());
            Assert.Equal(1, chain[i].GetProperty("parameters").GetProperty("x").GetInt32());
            Assert.Equal(2, chain[i].GetProperty("priority").GetInt32());
        }

        var statuses = (await api.PostAsync("/api/task/filter/list/q", "{}")).EnumerateArray().Select(t => t.GetProperty("status").GetInt32());
        Assert.Equal([5, 5, 3], statuses);
        var counts = (await api.GetAsync("/api/queue/read/q")).GetProperty("tasks");
        Assert.Equal(2, counts.GetProperty("retried").GetInt64());
        Assert.Equal(1, counts.GetProperty("failed").GetInt64());
    }

    [Fact]
    public async Task Unique_tasks_refuse_a_second_live_task_of_a_name_but_not_once_it_is_done()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q", "UniqueTasks": 1}""");
        await api.PostAsync("/api/task/create", """{"Name": "once", "QueueGuid": "q"}""");

        var problem = await api.PostAsync("/api/task/create", """{"Name": "once", "QueueGuid": "q"}""", HttpStatusCode.Conflict);
        Assert.Equal("Name", problem.GetProperty("field").GetString());
        var task = (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("guid").GetGuid();
        await api.PostAsync("/api/task/create", """{"Name": "once", "QueueGuid": "q"}""", HttpStatusCode.Conflict);
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{task}}", "Status": 2}""");

        await api.PostAsync("/api/task/create", """{"Name": "once", "QueueGuid": "q"}""");
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{task}}", "Status": 0}""", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unique_tasks_hold_under_concurrent_creates()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q", "UniqueTasks": 1}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await api.SendAsync(HttpMethod.Post, "/api/task/create", $$"""{"Name": "n{{i % 4}}", "QueueGuid": "q"}""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var odd = answers.Where(a => a.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict)).Select(a => $"{(int)a.StatusCode} {a.Body}");
        Assert.Empty(odd);
        Assert.Equal(4, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(36, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(4, (await api.PostAsync("/api/task/filter/list/q", "{}")).GetArrayLength());
    }

    [Fact]
    public async Task Filters_come_in_the_path_or_the_body()
    {
        using var api = await fixture.NewAccountAsync();
        var queue = (await api.PostAsync("/api/queue/create", """{"Name": "Invoices"}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/task/create", """{"Name": "inv-1", "QueueGuid": "Invoices", "Tags": "urgent;", "Priority": 2}""");
        await api.PostAsync("/api/task/create", """{"Name": "inv-2", "QueueGuid": "Invoices", "Tags": "later;", "Deadline": "2030-01-01 00:00:00"}""");
        await api.PostAsync("/api/task/create", """{"Name": "other", "QueueGuid": "Invoices", "Tags": "urgent;x;"}""");
        await TaskScenario.TakeAsync(api, "Invoices");

        static IEnumerable<string?> Names(JsonElement list) => list.EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["other"], Names(await api.PostAsync("/api/task/filter/list/Invoices/status=0;tag=urgent", "{}")));
        Assert.Equal(["other"], Names(await api.PostAsync("/api/task/filter/list", """{"Name": "Invoices", "Status": 0, "Tag": "urgent"}""")));
        Assert.Equal(["inv-1", "inv-2"], Names(await api.PostAsync($"/api/task/filter/list/{queue}/name=inv", "{}")));
        Assert.Equal(["inv-1"], Names(await api.PostAsync("/api/task/filter/list/Invoices/priority=2", "{}")));
        Assert.Equal(["inv-2"], Names(await api.PostAsync("/api/task/filter/list/Invoices/deadlineBefore=2031-01-01 00:00:00", "{}")));
        Assert.Equal(["inv-1", "inv-2", "other"], Names(await api.PostAsync("/api/task/filter/list/Invoices/createdFrom=2020-01-01 00:00:00", "{}")));
        Assert.Empty(Names(await api.PostAsync("/api/task/filter/list/Invoices/createdTo=1590481487", "{}")));
        Assert.Equal(["inv-2"], Names(await api.PostAsync("/api/task/filter/list/Invoices/skip=1;take=1", "{}")));

        var read = await api.PostAsync("/api/task/filter/read/Invoices", """{"Name": "inv-2"}""");
        Assert.Equal("inv-2", read.GetProperty("name").GetString());
        await api.PostAsync("/api/task/filter/read/Invoices/status=1", """{"Name": "inv-2"}""", HttpStatusCode.NotFound);
        var byGuid = await api.PostAsync("/api/task/filter/read/Invoices/status=0", $$"""{"Name": "{{read.GetProperty("guid").GetGuid()}}"}""");
        Assert.Equal("inv-2", byGuid.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Tag_and_name_filters_match_case_exactly_and_take_wildcards_literally()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "Inv-1", "QueueGuid": "q", "Tags": "Urgent;"}""");
        await api.PostAsync("/api/task/create", """{"Name": "inv%2", "QueueGuid": "q", "Tags": "urgent;"}""");
        await api.PostAsync("/api/task/create", """{"Name": "invX3", "QueueGuid": "q", "Tags": "urgent_x;"}""");

        static IEnumerable<string?> Names(JsonElement list) => list.EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["inv%2"], Names(await api.PostAsync("/api/task/filter/list/q/tag=urgent", "{}")));
        Assert.Equal(["Inv-1"], Names(await api.PostAsync("/api/task/filter/list/q/tag=Urgent", "{}")));
        Assert.Empty(Names(await api.PostAsync("/api/task/filter/list/q/tag=URGENT", "{}")));
        Assert.Equal(["invX3"], Names(await api.PostAsync("/api/task/filter/list/q/tag=urgent_x", "{}")));
        Assert.Equal(["Inv-1"], Names(await api.PostAsync("/api/task/filter/list/q/name=Inv", "{}")));
        Assert.Equal(["inv%2", "invX3"], Names(await api.PostAsync("/api/task/filter/list/q/name=inv", "{}")));
        Assert.Equal(["inv%2"], Names(await api.PostAsync("/api/task/filter/list/q", """{"Name": "inv%"}""")));
        Assert.Empty(Names(await api.PostAsync("/api/task/filter/list/q", """{"Name": "inv_"}""")));
    }

    [Fact]
    public async Task Paging_neither_skips_nor_repeats_while_tasks_are_added_and_taken()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var batch = string.Join(',', Enumerable.Range(0, 50).Select(i => $$"""{"Name": "t{{i}}", "QueueGuid": "q"}"""));
        var first = (await api.PostAsync("/api/task/createBatch", $"[{batch}]")).EnumerateArray().Select(t => t.GetProperty("guid").GetGuid()).ToList();

        var seen = new List<Guid>();
        for (var skip = 0; skip < 50; skip += 7)
        {
            var page = await api.PostAsync("/api/task/filter/list/q", $$"""{"Skip": {{skip}}, "Take": 7}""");
            seen.AddRange(page.EnumerateArray().Select(t => t.GetProperty("guid").GetGuid()));

            // Between pages the queue moves: a task is taken and completed, another is added.
            var taken = (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("guid").GetGuid();
            await api.PutAsync("/api/task/update", $$"""{"Guid": "{{taken}}", "Status": 2}""");
            await api.PostAsync("/api/task/create", $$"""{"Name": "late{{skip}}", "QueueGuid": "q"}""");
        }

        // Pages are in id order, so tasks added meanwhile come after the first 50, never among them.
        Assert.Equal(first, seen.Take(first.Count));
        Assert.Equal(seen.Count, seen.Distinct().Count());

        // Key paging (after = the last id seen) walks the New tasks exactly even as they are taken.
        var news = new List<long>();
        long after = 0;
        while (true)
        {
            var page = await api.PostAsync($"/api/task/filter/list/q/status=0;take=5;after={after}", "{}");
            if (page.GetArrayLength() == 0)
            {
                break;
            }

            news.AddRange(page.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));
            after = news[^1];
            await TaskScenario.TakeAsync(api, "q");
        }

        Assert.Equal(news.Distinct().Order(), news);
    }

    [Fact]
    public async Task CreateBatch_answers_the_guids_in_order_and_is_all_or_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q", "UniqueTasks": 1}""");

        var created = await api.PostAsync("/api/task/createBatch", """[{"Name": "a", "QueueGuid": "q"}, {"Name": "b", "QueueGuid": "q", "Priority": 0}]""");
        Assert.Equal("a", (await api.GetAsync($"/api/task/read/{created[0].GetProperty("guid").GetGuid()}")).GetProperty("name").GetString());
        Assert.Equal("b", (await api.GetAsync($"/api/task/read/{created[1].GetProperty("guid").GetGuid()}")).GetProperty("name").GetString());

        var clash = await api.PostAsync("/api/task/createBatch", """[{"Name": "c", "QueueGuid": "q"}, {"Name": "a", "QueueGuid": "q"}]""", HttpStatusCode.Conflict);
        Assert.Equal("[1].Name", clash.GetProperty("field").GetString());
        await api.PostAsync("/api/task/createBatch", """[{"Name": "d", "QueueGuid": "q"}, {"Name": "d", "QueueGuid": "q"}]""", HttpStatusCode.Conflict);
        var invalid = await api.PostAsync("/api/task/createBatch", """[{"Name": "e", "QueueGuid": "q"}, {"QueueGuid": "q"}]""", HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("[1].Name", out _));
        var tooMany = string.Join(',', Enumerable.Range(0, 1001).Select(i => $$"""{"Name": "{{i}}", "QueueGuid": "q"}"""));
        await api.PostAsync("/api/task/createBatch", $"[{tooMany}]", HttpStatusCode.BadRequest);

        Assert.Equal(2, (await api.PostAsync("/api/task/filter/list/q", "{}")).GetArrayLength());
    }

    [Fact]
    public async Task CreateBatch_may_name_several_queues_and_is_all_or_nothing_across_them()
    {
        using var api = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "a", "UniqueTasks": 1}""");
        await api.PostAsync("/api/queue/create", """{"Name": "b"}""");
        var foreign = (await other.PostAsync("/api/queue/create", """{"Name": "theirs"}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/task/createBatch", """[{"Name": "b1", "QueueGuid": "b"}, {"Name": "b2", "QueueGuid": "b"}]""");
        Assert.Equal("b1", (await TaskScenario.TakeAsync(api, "b"))!.Value.GetProperty("name").GetString());

        var created = await api.PostAsync("/api/task/createBatch", """
            [{"Name": "x", "QueueGuid": "a"}, {"Name": "b-high", "QueueGuid": "b", "Priority": 2}, {"Name": "z", "QueueGuid": "a", "Priority": 2}]
            """);
        var names = new List<string?>();
        foreach (var task in created.EnumerateArray())
        {
            names.Add((await api.GetAsync($"/api/task/read/{task.GetProperty("guid").GetGuid()}")).GetProperty("name").GetString());
        }

        Assert.Equal(["x", "b-high", "z"], names);
        Assert.Equal(2, (await api.GetAsync("/api/queue/read/a")).GetProperty("tasks").GetProperty("new").GetInt64());
        Assert.Equal(2, (await api.GetAsync("/api/queue/read/b")).GetProperty("tasks").GetProperty("new").GetInt64());

        // Queue b had read ahead to b2 before another queue's grain added b-high to it.
        Assert.Equal("b-high", (await TaskScenario.TakeAsync(api, "b"))!.Value.GetProperty("name").GetString());
        Assert.Equal("z", (await TaskScenario.TakeAsync(api, "a"))!.Value.GetProperty("name").GetString());

        var clash = await api.PostAsync("/api/task/createBatch", """[{"Name": "n", "QueueGuid": "b"}, {"Name": "x", "QueueGuid": "a"}]""", HttpStatusCode.Conflict);
        Assert.Equal("[1].Name", clash.GetProperty("field").GetString());
        await api.PostAsync("/api/task/createBatch", $$"""[{"Name": "n", "QueueGuid": "b"}, {"Name": "m", "QueueGuid": "{{foreign}}"}]""", HttpStatusCode.NotFound);
        await api.PostAsync("/api/task/createBatch", $$"""[{"Name": "m", "QueueGuid": "{{foreign}}"}, {"Name": "n", "QueueGuid": "b"}]""", HttpStatusCode.NotFound);
        Assert.Equal(["b1", "b2", "b-high"], (await api.PostAsync("/api/task/filter/list/b", "{}")).EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Empty((await other.PostAsync("/api/task/filter/list/theirs", "{}")).EnumerateArray());
    }

    [Fact]
    public async Task CreateBatch_across_two_queues_in_both_orders_at_once_loses_no_batch()
    {
        // A batch is written by its first queue's grain, which also bumps the other queue's counters: batches led
        // by a and by b lock the two queue rows in opposite orders, which the database may break as a deadlock.
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "a"}""");
        await api.PostAsync("/api/queue/create", """{"Name": "b"}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var (first, second) = i % 2 == 0 ? ("a", "b") : ("b", "a");
            var batch = $$"""[{"Name": "{{i}}-1", "QueueGuid": "{{first}}"}, {"Name": "{{i}}-2", "QueueGuid": "{{second}}"}]""";
            using var response = await api.SendAsync(HttpMethod.Post, "/api/task/createBatch", $"{batch}");
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }));

        Assert.All(answers, a => Assert.StartsWith("200 ", a));
        Assert.Equal(40, (await api.GetAsync("/api/queue/read/a")).GetProperty("tasks").GetProperty("new").GetInt64());
        Assert.Equal(40, (await api.GetAsync("/api/queue/read/b")).GetProperty("tasks").GetProperty("new").GetInt64());
        Assert.Equal(40, (await api.PostAsync("/api/task/filter/list/a", """{"take": 1000}""")).GetArrayLength());
    }

    [Fact]
    public async Task Delete_answers_result_1_and_tags_are_added_and_removed()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var guid = (await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q", "Tags": "a;"}""")).GetProperty("guid").GetGuid();

        Assert.Equal(0, (await api.PutAsync("/api/task/addTag", $$"""{"TaskGuid": "{{guid}}", "TagNames": "b;c;a;"}""")).GetArrayLength());
        Assert.Equal("a;b;c;", (await api.GetAsync($"/api/task/read/{guid}")).GetProperty("tags").GetString());
        Assert.Equal(0, (await api.DeleteAsync("/api/task/removeTag", """{"TaskGuid": "t", "TagNames": "a;c;"}""")).GetArrayLength());
        Assert.Equal("b;", (await api.GetAsync($"/api/task/read/{guid}")).GetProperty("tags").GetString());

        var deleted = await api.DeleteAsync($"/api/task/delete/{guid}");
        Assert.Equal("1", deleted.GetProperty("result").GetString());
        await api.GetAsync($"/api/task/read/{guid}", HttpStatusCode.NotFound);
        await api.DeleteAsync($"/api/task/delete/{guid}", expected: HttpStatusCode.NotFound);
        Assert.Null(await TaskScenario.TakeAsync(api, "q"));
    }

    [Fact]
    public async Task Update_edits_the_fields_given_and_keeps_the_others()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/queue/create", """{"Name": "elsewhere"}""");
        var guid = (await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q", "Description": "keep", "Parameters": [1]}""")).GetProperty("guid").GetGuid();

        await api.PutAsync("/api/task/update", $$$"""{"Guid": "{{{guid}}}", "Name": "renamed", "QueueGuid": "q", "Comment": "c", "Retries": 3, "Parameters": {"a": 1}, "Deadline": "2030-01-01 00:00:00"}""");

        var task = await api.GetAsync($"/api/task/read/{guid}");
        Assert.Equal("renamed", task.GetProperty("name").GetString());
        Assert.Equal("keep", task.GetProperty("description").GetString());
        Assert.Equal("c", task.GetProperty("comment").GetString());
        Assert.Equal(3, task.GetProperty("retries").GetInt32());
        Assert.Equal(1, task.GetProperty("parameters").GetProperty("a").GetInt32());
        Assert.Equal("2030-01-01 00:00:00", task.GetProperty("deadline").GetString());
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "QueueGuid": "elsewhere"}""", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_empty_Deadline_or_Postponed_removes_it_and_an_unpostponed_task_is_taken_at_once()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var guid = (await api.PostAsync(
            "/api/task/create", """{"Name": "later", "QueueGuid": "q", "Deadline": "2030-01-01 00:00:00", "Postponed": "2999-01-01 00:00:00"}"""))
            .GetProperty("guid").GetGuid();
        Assert.Null(await TaskScenario.TakeAsync(api, "q"));

        // Absent fields keep their value; an empty one removes it.
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Comment": "c"}""");
        Assert.Equal("2030-01-01 00:00:00", (await api.GetAsync($"/api/task/read/{guid}")).GetProperty("deadline").GetString());
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Deadline": "", "Postponed": ""}""");

        var task = await api.GetAsync($"/api/task/read/{guid}");
        Assert.Equal(JsonValueKind.Null, task.GetProperty("deadline").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("postponed").ValueKind);
        Assert.Equal("c", task.GetProperty("comment").GetString());
        var taken = await TaskScenario.TakeAsync(api, "q");
        Assert.NotNull(taken);
        Assert.Equal(guid, taken.Value.GetProperty("guid").GetGuid());
    }

    [Fact]
    public async Task Parameters_and_Result_with_surrogate_pairs_are_stored_and_answered_in_read_list_and_take()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var guid = (await api.PostAsync("/api/task/create", """{"Name": "smile", "QueueGuid": "q", "Parameters": {"s": "\ud83d\ude00", "\ud83d\ude01": 1}}"""))
            .GetProperty("guid").GetGuid();

        // A value refused for a lone surrogate leaves the task as it was, readable.
        await api.PutAsync("/api/task/update", $$$"""{"Guid": "{{{guid}}}", "Result": {"r": "\ud800"}}""", HttpStatusCode.BadRequest);
        Assert.Equal("\U0001F600", (await api.GetAsync($"/api/task/read/{guid}")).GetProperty("parameters").GetProperty("s").GetString());
        var listed = await api.PostAsync("/api/task/filter/list/q", "{}");
        Assert.Equal(1, Assert.Single(listed.EnumerateArray()).GetProperty("parameters").GetProperty("\U0001F601").GetInt32());
        var taken = await TaskScenario.TakeAsync(api, "q");
        Assert.Equal("\U0001F600", taken!.Value.GetProperty("parameters").GetProperty("s").GetString());
        await api.PutAsync("/api/task/update", $$$"""{"Guid": "{{{guid}}}", "Status": 2, "Result": {"r": "\ud83d\ude00"}}""");
        Assert.Equal("\U0001F600", (await api.GetAsync($"/api/task/read/{guid}")).GetProperty("result").GetProperty("r").GetString());
    }

    [Fact]
    public async Task Update_tags_and_delete_take_a_tasks_numeric_id_and_a_name_that_is_a_number_comes_first()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var created = await api.PostAsync("/api/task/create", """{"Name": "by id", "QueueGuid": "q"}""");
        var (guid, id) = (created.GetProperty("guid").GetGuid(), (await api.GetAsync($"/api/task/read/{created.GetProperty("guid").GetGuid()}")).GetProperty("id").GetInt64());

        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{id}}", "Comment": "found by id"}""");
        await api.PutAsync("/api/task/addTag", $$"""{"TaskGuid": {{id}}, "TagNames": "a;"}""");
        var task = await api.GetAsync($"/api/task/read/{guid}");
        Assert.Equal("found by id", task.GetProperty("comment").GetString());
        Assert.Contains("a", task.GetProperty("tags").GetString());

        // A task whose name is that number is the one the number names.
        var named = (await api.PostAsync("/api/task/create", $$"""{"Name": "{{id}}", "QueueGuid": "q"}""")).GetProperty("guid").GetGuid();
        await api.DeleteAsync($"/api/task/delete/{id}");
        await api.GetAsync($"/api/task/read/{named}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/task/read/{guid}");
        await api.DeleteAsync($"/api/task/delete/{id}");
        await api.GetAsync($"/api/task/read/{guid}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_accounts_task_is_not_found()
    {
        using var owner = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        await owner.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var guid = (await owner.PostAsync("/api/task/create", """{"Name": "secret", "QueueGuid": "q"}""")).GetProperty("guid").GetGuid();

        await other.GetAsync($"/api/task/read/{guid}", HttpStatusCode.NotFound);
        await other.GetAsync("/api/task/read/secret", HttpStatusCode.NotFound);
        await other.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 2}""", HttpStatusCode.NotFound);
        await other.DeleteAsync($"/api/task/delete/{guid}", expected: HttpStatusCode.NotFound);
        await other.PutAsync("/api/task/addTag", $$"""{"TaskGuid": "{{guid}}", "TagNames": "x;"}""", HttpStatusCode.NotFound);

        var task = await owner.GetAsync($"/api/task/read/{guid}");
        Assert.Equal(0, task.GetProperty("status").GetInt32());
        Assert.Equal("", task.GetProperty("tags").GetString());
    }

    [Fact]
    public async Task Another_account_cannot_complete_a_task_just_handed_out_and_its_taker_still_can()
    {
        using var owner = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        await owner.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await owner.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var guid = (await TaskScenario.TakeAsync(owner, "q"))!.Value.GetProperty("guid").GetGuid();

        await other.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 2}""", HttpStatusCode.NotFound);
        Assert.Equal(1, (await owner.GetAsync($"/api/task/read/{guid}")).GetProperty("status").GetInt32());

        await owner.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 2}""");
        Assert.Equal(2, (await owner.GetAsync($"/api/task/read/{guid}")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_illegal_first_change_of_a_task_just_handed_out_is_a_conflict_naming_Status()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var guid = (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("guid").GetGuid();

        var problem = await api.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 5}""", HttpStatusCode.Conflict);
        Assert.Equal("Status", problem.GetProperty("field").GetString());

        await api.PutAsync("/api/task/update", $$$"""{"Guid": "{{{guid}}}", "Status": 3, "Result": {"why": "x"}}""");
        var failed = await api.GetAsync($"/api/task/read/{guid}");
        Assert.Equal(3, failed.GetProperty("status").GetInt32());
        Assert.Equal("x", failed.GetProperty("result").GetProperty("why").GetString());
    }

    [Fact]
    public async Task A_client_of_the_vendor_document_sets_a_task_InProgress_replaces_its_tags_and_names_the_queue_in_path_and_body()
    {
        using var api = await fixture.NewAccountAsync();
        var queue = (await api.PostAsync("/api/queue/create", """{"Name": "Test Queue"}""")).GetProperty("guid").GetGuid();
        var task = (await api.PostAsync("/api/task/create", $$"""{"Name": "Test Task", "QueueGuid": "{{queue}}", "Tags": "a;b;",}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/task/create", $$"""{"Name": "Other", "QueueGuid": "{{queue}}"}""");

        // The document's own update example sets a New task InProgress; the take then hands out only the other task.
        Assert.Equal(0, (await api.PutAsync("/api/task/update", $$"""{ "guid": "{{task}}", "status": 1, } """)).GetArrayLength());
        var read = await api.GetAsync($"/api/task/read/{task}");
        Assert.Equal(1, read.GetProperty("status").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("started").ValueKind);
        Assert.Equal(1, (await api.GetAsync($"/api/queue/read/{queue}")).GetProperty("tasks").GetProperty("in_progress").GetInt64());
        Assert.Equal("Other", (await TaskScenario.TakeAsync(api, queue.ToString()))!.Value.GetProperty("name").GetString());
        Assert.Null(await TaskScenario.TakeAsync(api, queue.ToString()));

        // Tags sent to update are the task's tags from then on.
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{task}}", "Tags": "c;d;"}""");
        Assert.Equal("c;d;", (await api.GetAsync($"/api/task/read/{task}")).GetProperty("tags").GetString());

        // filter/list with the queue in the path and again as the body's Name (the document's form): all of its tasks.
        foreach (var name in new[] { queue.ToString(), "Test Queue" })
        {
            Assert.Equal(2, (await api.PostAsync($"/api/task/filter/list/{queue}", $$"""{"Name": "{{name}}"}""")).GetArrayLength());
        }

        // A body Name that is not the queue stays the name filter.
        var others = await api.PostAsync($"/api/task/filter/list/{queue}", """{"Name": "Oth"}""");
        Assert.Equal(["Other"], others.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_robot_takes_tasks_only_for_the_job_it_runs()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var runner = await JobApiScenario.RobotAsync(api, "runner");
        var other = await JobApiScenario.RobotAsync(api, "other");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var job = await JobApiScenario.RunningJobAsync(api, process, runner);

        var problem = await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "RobotGuid": "{{other}}", "JobGuid": "{{job}}"}""", HttpStatusCode.Conflict);

        Assert.Equal("RobotGuid", problem.GetProperty("field").GetString());
        Assert.Equal(0, (await api.GetAsync("/api/task/read/t")).GetProperty("status").GetInt32());
        var taken = await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "RobotGuid": "{{runner}}", "JobGuid": "{{job}}"}""");
        Assert.Equal(runner, taken.GetProperty("robot_id").GetGuid());
    }

    [Fact]
    public async Task A_task_put_back_to_New_is_no_longer_bound_to_its_job()
    {
        using var api = await fixture.NewAccountAsync();
        var (robot, job) = await TaskScenario.QueueAndRunningJobAsync(api);
        var task = (await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "RobotGuid": "{{robot}}", "JobGuid": "{{job}}"}""")).GetProperty("guid").GetGuid();

        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{task}}", "Status": 0}""");

        var read = await api.GetAsync($"/api/task/read/{task}");
        Assert.Equal(JsonValueKind.Null, read.GetProperty("job_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("robot_id").ValueKind);
        Assert.Equal(0, (await api.PostAsync($"/api/task/filter/list/q/job={job}", "{}")).GetArrayLength());
    }

    [Fact]
    public async Task A_job_may_be_named_by_its_numeric_id_in_a_take_and_in_the_job_filter()
    {
        using var api = await fixture.NewAccountAsync();
        var (robot, job) = await TaskScenario.QueueAndRunningJobAsync(api);
        var jobId = (await api.GetAsync($"/api/job/read/{job}")).GetProperty("id").GetInt64();

        var task = await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "RobotGuid": "{{robot}}", "JobGuid": {{jobId}}}""");

        Assert.Equal(job, task.GetProperty("job_id").GetGuid());
        Assert.Equal("t", (await api.PostAsync($"/api/task/filter/list/q/job={jobId}", "{}"))[0].GetProperty("name").GetString());
        Assert.Equal(0, (await api.PostAsync($"/api/task/filter/list/q/job={jobId + 1000}", "{}")).GetArrayLength());
        await api.PostAsync("/api/task/next", $$"""{"QueueGuid": "q", "JobGuid": "{{jobId + 1000}}"}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Parameters_as_deep_as_a_request_allows_are_answered_by_read_list_and_take()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");

        // The request's object is one level: its Parameters may nest 63 more, and a JSON string may hold 64.
        var deep = new string('[', 63) + "1" + new string(']', 63);
        var deeper = new string('[', 64) + "1" + new string(']', 64);
        await api.PostAsync("/api/task/create", $$"""{"Name": "deep", "QueueGuid": "q", "Parameters": {{deep}}}""");
        await api.PostAsync("/api/task/create", $$"""{"Name": "text", "QueueGuid": "q", "Parameters": "{{deeper}}"}""");

        var listed = await api.PostAsync("/api/task/filter/list/q", "{}");
        Assert.Equal(deep, listed[0].GetProperty("parameters").GetRawText());
        Assert.Equal(deeper, listed[1].GetProperty("parameters").GetRawText());
        Assert.Equal(deeper, (await api.GetAsync("/api/task/read/text")).GetProperty("parameters").GetRawText());
        Assert.Equal(deep, (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("parameters").GetRawText());
    }

    [Fact]
    public async Task A_task_created_in_a_queue_that_is_not_there_is_a_404_naming_the_queue()
    {
        using var api = await fixture.NewAccountAsync();

        var problem = await api.PostAsync("/api/task/create", $$"""{"Name": "t", "QueueGuid": "{{Guid.NewGuid()}}"}""", HttpStatusCode.NotFound);

        Assert.Equal("Queue not found.", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("POST", "/api/task/create", """{"QueueGuid": "q"}""", "Name")]
    [InlineData("POST", "/api/task/create", """{"Name": "t"}""", "QueueGuid")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Priority": 3}""", "Priority")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Retries": -1}""", "Retries")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Deadline": "soon"}""", "Deadline")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Postponed": "2020-13-45"}""", "Postponed")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Retries": "many"}""", "Retries")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Parameters": "a\u0000b"}""", "Parameters")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Parameters": {"k": "\ud800"}}""", "Parameters")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Parameters": {"\udfff": 1}}""", "Parameters")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Parameters": [{"b": ["x\ud800"]}]}""", "Parameters")]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "q", "Parameters": "\ud800"}""", "Parameters")]
    [InlineData("POST", "/api/task/createBatch", """[{"Name": "a", "QueueGuid": "q", "Parameters": {"k": "\udc00"}}]""", "[0].Parameters")]
    [InlineData("PUT", "/api/task/update", """{"Guid": "t", "Result": {"r": "\ud800"}}""", "Result")]
    [InlineData("PUT", "/api/task/update", """{"Guid": "t", "Parameters": {"r": "\ud800"}}""", "Parameters")]
    [InlineData("POST", "/api/task/createBatch", """{"Name": "t"}""", "body")]
    [InlineData("POST", "/api/task/createBatch", """[]""", "body")]
    [InlineData("POST", "/api/task/createBatch", """[null]""", "[0]")]
    [InlineData("POST", "/api/task/createBatch", """[1]""", "[0]")]
    [InlineData("POST", "/api/task/createBatch", """[{"Name": "a", "QueueGuid": "q"}, {"Name": "b", "QueueGuid": "q", "Priority": "x"}]""", "[1].Priority")]
    [InlineData("PUT", "/api/task/update", """{"Guid": "t", "Tags": "a;\u0001;"}""", "Tags")]
    [InlineData("PUT", "/api/task/update", """{"Status": 2}""", "Guid")]
    [InlineData("PUT", "/api/task/update", """{"Guid": "t", "Status": 9}""", "Status")]
    [InlineData("PUT", "/api/task/update", """{"Guid": "t", "Status": "done"}""", "Status")]
    [InlineData("PUT", "/api/task/addTag", """{"TaskGuid": "t"}""", "TagNames")]
    [InlineData("PUT", "/api/task/addTag", """{"TagNames": "a;"}""", "TaskGuid")]
    [InlineData("DELETE", "/api/task/removeTag", """{"TaskGuid": "t", "TagNames": ";;"}""", "TagNames")]
    [InlineData("POST", "/api/task/next", """{}""", "QueueGuid")]
    [InlineData("POST", "/api/task/next", """{"QueueGuid": "q", "JobGuid": "job-1"}""", "JobGuid")]
    [InlineData("POST", "/api/task/filter/list/q/status=7", "{}", "status")]
    [InlineData("POST", "/api/task/filter/list/q/take=5000", "{}", "take")]
    [InlineData("POST", "/api/task/filter/list/q/colour=red", "{}", "colour")]
    [InlineData("POST", "/api/task/filter/list/q/urgent", "{}", "filters")]
    [InlineData("POST", "/api/task/filter/list/q", """{"Job": "x"}""", "job")]
    [InlineData("POST", "/api/task/filter/list", "{}", "Name")]
    [InlineData("POST", "/api/task/filter/read/q", "{}", "Name")]
    public async Task Bad_input_is_a_400_naming_the_field(string method, string path, string body, string field)
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t", "QueueGuid": "q"}""");

        var problem = await api.JsonAsync(new HttpMethod(method), path, body, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("POST", "/api/task/create", """{"Name": "t", "QueueGuid": "nowhere"}""")]
    [InlineData("POST", "/api/task/next", """{"QueueGuid": "nowhere"}""")]
    [InlineData("POST", "/api/task/next", """{"QueueGuid": "q", "RobotGuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}""")]
    [InlineData("GET", "/api/task/read/nothing-by-this-name", null)]
    [InlineData("PUT", "/api/task/update", """{"Guid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "Status": 2}""")]
    [InlineData("POST", "/api/task/filter/list/nowhere", "{}")]
    [InlineData("POST", "/api/task/filter/read/q", """{"Name": "nothing"}""")]
    public async Task References_to_nothing_are_404(string method, string path, string? body)
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");

        await api.JsonAsync(new HttpMethod(method), path, body, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Concurrent_takers_on_every_silo_get_each_task_exactly_once()
    {
        const int tasks = 300;
        const int takers = 24;
        using var producer = await fixture.NewAccountAsync();
        await producer.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var batch = string.Join(',', Enumerable.Range(0, tasks).Select(i => $$"""{"Name": "t{{i}}", "QueueGuid": "q", "Priority": {{i % 3}}}"""));
        var created = (await producer.PostAsync("/api/task/createBatch", $"[{batch}]")).EnumerateArray().Select(t => t.GetProperty("guid").GetGuid()).ToHashSet();

        // Takers spread over every silo of the wiring (two on PostgreSQL); each completes what it takes.
        var clients = Enumerable.Range(0, takers).Select(i => fixture.Hosts[i % fixture.Hosts.Count].Client(producer.Key!)).ToList();
        var taken = await Task.WhenAll(clients.Select(async client =>
        {
            var mine = new List<Guid>();
            while (await TaskScenario.TakeAsync(client, "q") is { } task)
            {
                var guid = task.GetProperty("guid").GetGuid();
                mine.Add(guid);
                await client.PutAsync("/api/task/update", $$"""{"Guid": "{{guid}}", "Status": 2}""");
            }

            return mine;
        }));
        clients.ForEach(c => c.Dispose());

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(tasks, all.Count);
        if (fixture is PostgresFixture)
        {
            // On PostgreSQL the takes and completions that met in a batch went to the server together.
            Assert.True(fixture.Hosts.Sum(h => h.Services.GetRequiredService<Orchestrator.Queues.TaskRecords>().StatementsSentAhead) > 0);
        }

        Assert.Equal(created, all.ToHashSet());
        var counts = (await producer.GetAsync("/api/queue/read/q")).GetProperty("tasks");
        Assert.Equal(tasks, counts.GetProperty("successful").GetInt64());
        Assert.Equal(tasks, counts.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Tasks_that_become_eligible_after_takes_began_are_handed_out_in_dispatch_order()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var batch = string.Join(',', Enumerable.Range(0, 5).Select(i => $$"""{"Name": "n{{i}}", "QueueGuid": "q"}"""));
        await api.PostAsync("/api/task/createBatch", $"[{batch}]");
        Assert.Equal("n0", (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("name").GetString());

        // The queue has read ahead past n1..n4 by now; each change below must still count.
        await api.PostAsync("/api/task/create", """{"Name": "high", "QueueGuid": "q", "Priority": 2}""");
        await api.PostAsync("/api/task/create", """{"Name": "soon", "QueueGuid": "q", "Deadline": "2030-01-01 00:00:00"}""");
        await api.PostAsync("/api/task/create", """{"Name": "low", "QueueGuid": "q", "Priority": 0}""");
        await api.PutAsync("/api/task/update", """{"Guid": "n0", "Status": 0}""");
        await api.PutAsync("/api/task/update", """{"Guid": "n4", "Priority": 2}""");
        await api.DeleteAsync("/api/task/delete/n1");

        var order = new List<string>();
        while (await TaskScenario.TakeAsync(api, "q") is { } task)
        {
            order.Add(task.GetProperty("name").GetString()!);
        }

        Assert.Equal(["n4", "high", "soon", "n0", "n2", "n3", "low"], order);
    }

    [Fact]
    public async Task Next_answers_the_task_byte_for_byte_as_read_answers_it()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("guid").GetGuid();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var job = await JobApiScenario.RunningJobAsync(api, process, robot);

        // Every field set, text the encoder escapes, stored JSON with spaces and escapes, and a retry chain.
        await api.PostAsync("/api/task/create", """
            {
              "Name": "Ünïcode <&> \"q\" ✓", "QueueGuid": "q", "Description": "line\nnext 'x' +", "Comment": "c</script>",
              "Deadline": "2030-01-02 03:04:05", "Retries": 1, "Priority": 2, "Postponed": "2020-05-26 08:24:47", "Tags": "a;b;",
              "Parameters": {"invoice" : [1, 2.50, "x\u00e9 <y>", null, {"deep": true}], "empty": {}}
            }
            """);
        await api.PostAsync("/api/task/create", """{"Name": "plain", "QueueGuid": "q", "Priority": 0, "Parameters": "not json <&>"}""");

        var first = await AnswersAlikeAsync(api, $$"""{"QueueGuid": "q", "RobotGuid": "{{robot}}", "JobGuid": "{{job}}"}""");
        await api.PutAsync("/api/task/update", $$$"""{"Guid": "{{{first}}}", "Status": 3, "Result": {"error": "é <b>"}}""");
        var retry = await AnswersAlikeAsync(api, $$"""{"QueueGuid": "q", "RobotGuid": "{{robot}}", "JobGuid": "{{job}}"}""");
        Assert.NotEqual(first, retry);

        // Back to New with a Result: taken again, the answer carries it; and the take without a job answers alike.
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{retry}}", "Status": 0, "Result": "partly <done>"}""");
        Assert.Equal(retry, await AnswersAlikeAsync(api, """{"QueueGuid": "q"}"""));
        await AnswersAlikeAsync(api, """{"QueueGuid": "q"}""");
    }

    /// <summary>Takes a task and asserts the take's answer is exactly what reading it answers; answers its GUID.</summary>
    private static async Task<Guid> AnswersAlikeAsync(ApiClient api, string next)
    {
        using var taken = await api.SendAsync(HttpMethod.Post, "/api/task/next", next);
        var text = await taken.Content.ReadAsStringAsync();
        Assert.True(taken.StatusCode == HttpStatusCode.OK, text);
        var guid = JsonDocument.Parse(text).RootElement.GetProperty("guid").GetGuid();
        using var read = await api.SendAsync(HttpMethod.Get, $"/api/task/read/{guid}");
        Assert.Equal(await read.Content.ReadAsStringAsync(), text);
        Assert.Equal(read.Content.Headers.ContentType, taken.Content.Headers.ContentType);
        return guid;
    }

    [Fact]
    public async Task Next_on_an_empty_queue_is_204()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");

        using var response = await api.SendAsync(HttpMethod.Post, "/api/task/next", """{"QueueGuid": "q"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedTaskApiTests(EmbeddedFixture fixture) : TaskApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTaskApiTests(PostgresFixture fixture) : TaskApiTests(fixture);
