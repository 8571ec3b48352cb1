using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using static Orchestrator.Tests.Infrastructure.JobApiScenario;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §7 and the job side of §3 through real HTTP, on both wirings: the lifecycle and dispatch to robots.</summary>
public abstract class JobApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Create_and_read_answer_the_documented_job_fields()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, version) = await ProcessWithVersionAsync(api);

        var guid = (await api.PostAsync("/api/job/create", $$"""
            {"ProcessGuid": "{{process}}", "Priority": "2", "StopAfter": 600, "Parameters": {"invoice": 42},}
            """)).GetProperty("guid").GetGuid();
        var job = await api.GetAsync($"/api/job/read/{guid}");

        Assert.Equal(guid, job.GetProperty("guid").GetGuid());
        Assert.Equal(0, job.GetProperty("status").GetInt32());
        Assert.Equal(version, job.GetProperty("process_version_guid").GetGuid());
        Assert.True(job.GetProperty("process_version_id").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("robot_guid").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("schedule_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("scheduled_at").ValueKind);
        Assert.Equal(600, job.GetProperty("stop_after").GetInt64());
        Assert.Equal(2, job.GetProperty("priority").GetInt32());
        Assert.Equal(42, job.GetProperty("parameters").GetProperty("invoice").GetInt32());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", job.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("finished_at").ValueKind);
        Assert.True(job.GetProperty("account_id").GetInt64() > 0);
    }

    [Fact]
    public async Task A_long_polling_robot_gets_StartJob_at_once_runs_the_job_and_is_Busy_meanwhile()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, version) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        await HeartbeatAsync(api, robot);

        var poll = HeartbeatAsync(api, robot, wait: 30);
        await Task.Delay(200); // let the poll open; the assertion below does not depend on it
        var clock = Stopwatch.StartNew();
        var job = await CreateJobAsync(api, JsonSerializer.Serialize(new { ProcessGuid = process, Parameters = new { a = 1 } }));
        var commands = (await poll).GetProperty("Commands");
        var waited = clock.Elapsed;

        var start = Assert.Single(commands.EnumerateArray());
        Assert.Equal("StartJob", start.GetProperty("Type").GetString());
        Assert.Equal(job, start.GetProperty("JobGUID").GetGuid());
        Assert.Equal(version, start.GetProperty("ProcessVersionGUID").GetGuid());
        Assert.Equal("bot.robot", start.GetProperty("ProcessFileName").GetString());
        Assert.Equal(1, start.GetProperty("Parameters").GetProperty("a").GetInt32());
        Assert.True(waited < TimeSpan.FromSeconds(10), $"StartJob took {waited}");
        Assert.Equal(2, (await api.GetAsync($"/api/robot/getStatus/{robot}")).GetProperty("Status").GetInt32());
        Assert.Equal(robot, (await api.GetAsync($"/api/job/read/{job}")).GetProperty("robot_guid").GetGuid());

        await UpdateAsync(api, job, 1, robot);
        Assert.Equal(1, (await api.GetAsync($"/api/job/read/{job}")).GetProperty("status").GetInt32());
        await UpdateAsync(api, job, 2, robot, message: "done");

        var ended = await api.GetAsync($"/api/job/read/{job}");
        Assert.Equal(2, ended.GetProperty("status").GetInt32());
        Assert.Equal("done", ended.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.String, ended.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.String, ended.GetProperty("finished_at").ValueKind);
        Assert.Equal(1, (await api.GetAsync($"/api/robot/getStatus/{robot}")).GetProperty("Status").GetInt32());
    }

    [Fact]
    public async Task Waiting_jobs_go_by_priority_then_age_to_the_robot_they_target()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        var other = await RobotAsync(api, "other");
        var low = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}", "Priority": 0}""");
        var normal1 = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        var high = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}", "Priority": 2}""");
        var normal2 = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");

        // Another robot of the account never gets a job aimed at this one.
        Assert.Empty(Starts(await HeartbeatAsync(api, other)));

        var order = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var job = Assert.Single(Starts(await HeartbeatAsync(api, robot)));
            order.Add(job);
            await UpdateAsync(api, job, 1, robot);
            await UpdateAsync(api, job, 3, robot);
        }

        Assert.Equal([high, normal1, normal2, low], order);
        Assert.Empty(Starts(await HeartbeatAsync(api, other)));
    }

    [Fact]
    public async Task A_group_job_goes_to_a_member_only_and_members_share_the_work()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("guid").GetGuid();
        var a = await RobotAsync(api, "a");
        var b = await RobotAsync(api, "b");
        var outsider = await RobotAsync(api, "outsider");
        foreach (var member in new[] { a, b })
        {
            await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{member}}"}""");
        }

        await HeartbeatAsync(api, outsider);
        await HeartbeatAsync(api, a);
        await HeartbeatAsync(api, b);
        var first = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGroupGuid": "{{group}}"}""");
        var second = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGroupGuid": "{{group}}"}""");

        // Each member was woken for its job by a one-way call: a long-poll waits for the StartJob that call queues
        // instead of racing it (a heartbeat without a wait may come first and get its command one heartbeat later).
        var taken = Starts(await HeartbeatAsync(api, a, wait: 10)).Concat(Starts(await HeartbeatAsync(api, b, wait: 10))).ToList();
        Assert.Equal(new HashSet<Guid> { first, second }, taken.ToHashSet());
        Assert.Empty(Starts(await HeartbeatAsync(api, outsider)));
        Assert.Equal(2, (await api.GetAsync($"/api/robot/getStatus/{a}")).GetProperty("Status").GetInt32());
        Assert.Equal(2, (await api.GetAsync($"/api/robot/getStatus/{b}")).GetProperty("Status").GetInt32());
    }

    [Fact]
    public async Task A_robot_added_to_a_group_takes_the_groups_waiting_job_at_once()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("guid").GetGuid();
        var robot = await RobotAsync(api, "late joiner");
        await HeartbeatAsync(api, robot);
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGroupGuid": "{{group}}"}""");
        Assert.Empty(Starts(await HeartbeatAsync(api, robot)));

        var poll = HeartbeatAsync(api, robot, wait: 20);
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");

        Assert.Equal([job], Starts(await poll));
    }

    [Fact]
    public async Task A_robot_below_MinVersionToRun_is_never_given_the_process()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api, minVersion: "2.0");
        var old = await RobotAsync(api, "old");
        var current = await RobotAsync(api, "current");
        await HeartbeatAsync(api, old, version: "1.5");
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}"}""");

        Assert.Empty(Starts(await HeartbeatAsync(api, old, version: "1.5")));
        Assert.Equal([job], Starts(await HeartbeatAsync(api, current, version: "2.1")));
    }

    [Fact]
    public async Task A_robot_upgraded_past_MinVersionToRun_is_given_the_waiting_job_at_its_next_heartbeat()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api, minVersion: "2.0");
        var robot = await RobotAsync(api, "upgraded");
        await HeartbeatAsync(api, robot, version: "1.5");
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        Assert.Empty(Starts(await HeartbeatAsync(api, robot, version: "1.5")));

        // Not at the idle recheck (30 s): the heartbeat that reports the new version is answered with the job.
        Assert.Equal([job], Starts(await HeartbeatAsync(api, robot, version: "2.1")));
    }

    [Fact]
    public async Task A_disabled_robot_gets_nothing_until_enabled()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        await api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}", "STATUS": 4}""");
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");

        Assert.Empty(Starts(await HeartbeatAsync(api, robot)));
        await api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}", "STATUS": 1}""");
        Assert.Equal([job], Starts(await HeartbeatAsync(api, robot)));
    }

    [Fact]
    public async Task Reports_from_a_robot_that_does_not_hold_the_job_are_409_and_illegal_transitions_change_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var holder = await RobotAsync(api, "holder");
        var stranger = await RobotAsync(api, "stranger");
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{holder}}"}""");

        // Not leased yet: nobody may report Running.
        await UpdateAsync(api, job, 1, holder, HttpStatusCode.Conflict);
        Assert.Equal([job], Starts(await HeartbeatAsync(api, holder)));
        await UpdateAsync(api, job, 1, stranger, HttpStatusCode.Conflict);
        await UpdateAsync(api, job, 2, holder, HttpStatusCode.Conflict); // Pending → Successful is not a transition
        await UpdateAsync(api, job, 5, null, HttpStatusCode.Conflict);   // nor Pending → Stopped
        Assert.Equal(0, (await api.GetAsync($"/api/job/read/{job}")).GetProperty("status").GetInt32());
        var abort = (await HeartbeatAsync(api, stranger)).GetProperty("Commands");
        Assert.Contains(abort.EnumerateArray(), c => c.GetProperty("Type").GetString() == "AbortJob" && c.GetProperty("JobGUID").GetGuid() == job);

        await UpdateAsync(api, job, 1, holder);
        await UpdateAsync(api, job, 8, null, HttpStatusCode.Conflict);   // Running → Cancelled is not a transition
        await UpdateAsync(api, job, 3, stranger, HttpStatusCode.Conflict);
        await api.DeleteAsync($"/api/job/delete/{job}", expected: HttpStatusCode.Conflict);
        await api.DeleteAsync($"/api/robot/delete/{holder}", expected: HttpStatusCode.Conflict);
        await api.DeleteAsync($"/api/process/delete/{process}", expected: HttpStatusCode.Conflict);
        Assert.Equal(1, (await api.GetAsync($"/api/job/read/{job}")).GetProperty("status").GetInt32());

        await UpdateAsync(api, job, 3, holder);
        await UpdateAsync(api, job, 1, holder, HttpStatusCode.Conflict);  // terminal is terminal
        await api.DeleteAsync($"/api/job/delete/{job}");
        await api.GetAsync($"/api/job/read/{job}", HttpStatusCode.NotFound);
        await api.DeleteAsync($"/api/robot/delete/{holder}");
    }

    [Fact]
    public async Task Stopping_sends_StopJob_and_Aborting_sends_AbortJob_then_the_robot_reports_the_end()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        var stopped = await RunningJobAsync(api, process, robot);

        await UpdateAsync(api, stopped, 4, null, message: "enough");
        Assert.Equal(["StopJob"], CommandTypes(await HeartbeatAsync(api, robot), stopped));
        await UpdateAsync(api, stopped, 6, null);
        Assert.Equal(["AbortJob"], CommandTypes(await HeartbeatAsync(api, robot), stopped));
        await UpdateAsync(api, stopped, 7, robot);
        Assert.Equal(7, (await api.GetAsync($"/api/job/read/{stopped}")).GetProperty("status").GetInt32());

        var second = await RunningJobAsync(api, process, robot);
        await UpdateAsync(api, second, 4, null);
        await UpdateAsync(api, second, 5, robot);
        Assert.Equal(5, (await api.GetAsync($"/api/job/read/{second}")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_pending_job_is_cancelled_by_update_or_delete_and_never_dispatched()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        var cancelled = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        var deleted = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");

        await UpdateAsync(api, cancelled, 8, null, message: "not today");
        await api.DeleteAsync($"/api/job/delete/{deleted}");

        var job = await api.GetAsync($"/api/job/read/{cancelled}");
        Assert.Equal(8, job.GetProperty("status").GetInt32());
        Assert.Equal("not today", job.GetProperty("message").GetString());
        await api.GetAsync($"/api/job/read/{deleted}", HttpStatusCode.NotFound);
        Assert.Empty(Starts(await HeartbeatAsync(api, robot)));
        await api.DeleteAsync($"/api/process/delete/{process}");
    }

    [Fact]
    public async Task A_robot_running_a_job_the_orchestrator_ended_gets_AbortJob_and_one_reporting_none_fails_its_job()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        var job = await RunningJobAsync(api, process, robot);

        var stray = Guid.NewGuid();
        var reply = await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "RunningJobGUID": "{{stray}}"}""");
        Assert.Equal(["AbortJob"], CommandTypes(reply, stray));

        await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "RunningJobGUID": ""}""");
        var failed = await Polling.EventuallyAsync(() => api.GetAsync($"/api/job/read/{job}"), j => j.GetProperty("status").GetInt32() == 3, seconds: 10);
        Assert.Contains("no job", failed.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_job_that_fails_fails_its_InProgress_tasks_in_AutoChangeStatus_queues_only()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        await api.PostAsync("/api/queue/create", """{"Name": "auto", "AutoChangeStatus": 1}""");
        await api.PostAsync("/api/queue/create", """{"Name": "manual", "AutoChangeStatus": 0}""");
        // Oldest first: the first job takes t0, the second t1.
        await api.PostAsync("/api/task/create", """{"Name": "t0", "QueueGuid": "auto"}""");
        await api.PostAsync("/api/task/create", """{"Name": "t1", "QueueGuid": "auto", "Retries": 1}""");
        await api.PostAsync("/api/task/create", """{"Name": "t2", "QueueGuid": "manual"}""");

        // The first job takes a task of each queue and succeeds: its tasks stay as the robot left them.
        var succeeded = await RunningJobAsync(api, process, robot);
        var kept = await TakeAsync(api, "auto", robot, succeeded);
        await UpdateAsync(api, succeeded, 2, robot);

        var failed = await RunningJobAsync(api, process, robot);
        var retried = await TakeAsync(api, "auto", robot, failed);
        var untouched = await TakeAsync(api, "manual", robot, failed);
        await UpdateAsync(api, failed, 3, robot, message: "crashed");

        Assert.Equal(5, (await api.GetAsync($"/api/task/read/{retried}")).GetProperty("status").GetInt32());
        Assert.Equal(1, (await api.GetAsync($"/api/task/read/{untouched}")).GetProperty("status").GetInt32());
        Assert.Equal(1, (await api.GetAsync($"/api/task/read/{kept}")).GetProperty("status").GetInt32());
        var retry = Assert.Single((await api.PostAsync("/api/task/filter/list/auto/status=0", "{}")).EnumerateArray(), t => t.GetProperty("name").GetString() == "t1");
        Assert.Equal(0, retry.GetProperty("retries").GetInt32());
    }

    [Fact]
    public async Task A_long_poll_does_not_reconcile_a_job_started_during_it_with_the_RunningJobGUID_sent_before()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "r");
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        var start = await api.PostAsync("/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = robot, Ack = 0, RunningJobGUID = "", Wait = 10 }));
        var seq = start.GetProperty("Commands")[0].GetProperty("Seq").GetInt64();

        var elsewhere = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{await RobotAsync(api, "away")}}"}""");

        // The robot polls, saying it runs nothing yet; meanwhile it starts its job. A command about another job (a
        // Running report of it that this robot does not hold) wakes the poll, which takes it as a heartbeat of its own.
        var poll = api.PostAsync("/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = robot, Ack = seq, RunningJobGUID = "", Wait = 20 }));

        // Time for the poll's own heartbeat (which rightly sees the job not yet Running) to be taken before the report.
        await Task.Delay(1500);
        await UpdateAsync(api, job, 1, robot);
        await UpdateAsync(api, elsewhere, 1, robot, HttpStatusCode.Conflict);

        var commands = (await poll).GetProperty("Commands").EnumerateArray().Select(c => (c.GetProperty("Type").GetString(), c.GetProperty("JobGUID").GetGuid()));
        Assert.Equal([("AbortJob", elsewhere)], commands);
        await Task.Delay(300);
        Assert.Equal(1, (await api.GetAsync($"/api/job/read/{job}")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_report_naming_another_accounts_robot_is_refused_as_any_stray_report_and_sends_that_robot_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var theirs = await RobotAsync(other, "theirs");
        await HeartbeatAsync(other, theirs);
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}"}""");

        // The same 409 as for a robot that does not hold the job, or a GUID that names none: nothing of theirs shows.
        await UpdateAsync(api, job, 1, theirs, HttpStatusCode.Conflict);

        await api.PostAsync("/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = theirs }), HttpStatusCode.NotFound);
        Assert.Empty((await HeartbeatAsync(other, theirs)).GetProperty("Commands").EnumerateArray());
    }

    [Fact]
    public async Task An_Ack_above_the_last_Seq_sent_moves_the_sequence_past_it_so_the_next_command_is_not_dropped()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "restored");
        await api.PostAsync("/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = robot, Ack = 100 }));

        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        var answer = await api.PostAsync("/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = robot, Ack = 100, Wait = 10 }));

        var command = Assert.Single(answer.GetProperty("Commands").EnumerateArray());
        Assert.Equal(job, command.GetProperty("JobGUID").GetGuid());
        Assert.True(command.GetProperty("Seq").GetInt64() > 100, command.GetRawText());
    }

    [Fact]
    public async Task A_robot_reporting_its_version_with_a_decimal_comma_is_compared_as_that_number()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api, minVersion: "1.14");
        var robot = await RobotAsync(api, "ru");
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");

        // 1,05 is 1.05 (not 105): below the minimum, no job; 1,2 is above it.
        Assert.Empty(Starts(await HeartbeatAsync(api, robot, wait: 1, version: "1,05")));
        Assert.Equal([job], Starts(await HeartbeatAsync(api, robot, wait: 10, version: "1,2")));
    }

    [Fact]
    public async Task A_waiting_job_is_matched_by_its_processes_MinVersionToRun_as_it_is_now()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api, minVersion: "5");
        var robot = await RobotAsync(api, "old");
        var first = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        Assert.Empty(Starts(await HeartbeatAsync(api, robot, wait: 1, version: "1.0")));

        // Lowered: the job that waited is the old robot's now.
        await api.PutAsync("/api/process/update", $$"""{"Guid": "{{process}}", "MinVersionToRun": 0.5}""");
        Assert.Equal([first], Starts(await HeartbeatAsync(api, robot, wait: 10, version: "1.0")));

        // Raised while a second job waits: once the robot is free, it is not given it; lowered again, it is.
        var second = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        await api.PutAsync("/api/process/update", $$"""{"Guid": "{{process}}", "MinVersionToRun": 5}""");
        await UpdateAsync(api, first, 1, robot);
        await UpdateAsync(api, first, 2, robot);
        Assert.Empty(Starts(await HeartbeatAsync(api, robot, wait: 1, version: "1.0")));
        await api.PutAsync("/api/process/update", $$"""{"Guid": "{{process}}", "MinVersionToRun": 1}""");
        Assert.Equal([second], Starts(await HeartbeatAsync(api, robot, wait: 10, version: "1.0")));
    }

    [Fact]
    public async Task A_version_a_job_waits_for_is_not_deleted_and_a_deleted_processes_versions_go_with_it()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, version) = await ProcessWithVersionAsync(api);
        var (other, _) = await ProcessWithVersionAsync(api, name: "other");
        var job = await CreateJobAsync(api, $$"""{"ProcessVersionGuid": "{{version}}"}""");

        var refused = await api.DeleteAsync($"/api/processVersion/delete/{version}", null, HttpStatusCode.Conflict);
        Assert.Equal("guid", refused.GetProperty("field").GetString());
        await ProblemAssert.NamesFieldAsync(
            api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{other}}", "ProcessVersionGuid": "{{version}}"}""", HttpStatusCode.BadRequest), "ProcessVersionGuid");

        await UpdateAsync(api, job, 8, null);
        await api.DeleteAsync($"/api/process/delete/{process}");
        await api.GetAsync($"/api/processVersion/read/{version}", HttpStatusCode.NotFound);
        await api.PostAsync("/api/job/create", $$"""{"ProcessVersionGuid": "{{version}}"}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Waiting_jobs_aimed_at_a_deleted_robot_or_group_are_cancelled_and_say_why()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "gone");
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();
        var forRobot = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{robot}}"}""");
        var forGroup = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGroupGuid": "{{group}}"}""");

        await api.DeleteAsync($"/api/robot/delete/{robot}");
        await api.DeleteAsync($"/api/robotGroup/delete/{group}");

        foreach (var (job, what) in new[] { (forRobot, "robot"), (forGroup, "robot group") })
        {
            var read = await api.GetAsync($"/api/job/read/{job}");
            Assert.Equal(8, read.GetProperty("status").GetInt32());
            Assert.Contains(what, read.GetProperty("message").GetString());
        }

        // Nothing waits on the process any more: it may go.
        await api.DeleteAsync($"/api/process/delete/{process}");
    }

    private static async Task<Guid> TakeAsync(ApiClient api, string queue, Guid robot, Guid job) =>
        (await api.PostAsync("/api/task/next", JsonSerializer.Serialize(new { QueueGuid = queue, RobotGuid = robot, JobGuid = job }))).GetProperty("guid").GetGuid();

    [Fact]
    public async Task List_filters_by_status_robot_and_process_and_pages_in_id_order()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var (otherProcess, _) = await ProcessWithVersionAsync(api, name: "other");
        var robot = await RobotAsync(api, "r");
        var running = await RunningJobAsync(api, process, robot);
        var waiting = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "{{Guid.Empty}}"}""", HttpStatusCode.NotFound);
        var a = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{otherProcess}}", "RobotGuid": "{{robot}}"}""");
        var b = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{otherProcess}}", "RobotGuid": "{{robot}}"}""");

        Assert.Equal([running, a, b], ListAnswer.Guids(await api.GetAsync("/api/job/list")));
        Assert.Equal([a, b], ListAnswer.Guids(await api.GetAsync("/api/job/list?status=0")));
        Assert.Equal([running], ListAnswer.Guids(await api.GetAsync($"/api/job/list?robot={robot}")));
        Assert.Equal([a, b], ListAnswer.Guids(await api.GetAsync($"/api/job/list?process={otherProcess}")));
        Assert.Equal([a], ListAnswer.Guids(await api.GetAsync("/api/job/list?skip=1&take=1")));
        Assert.Empty(ListAnswer.Guids(await api.GetAsync("/api/job/list?from=2999-01-01%2000:00:00")));
        Assert.Equal(3, ListAnswer.Guids(await api.GetAsync($"/api/job/list?to={DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}")).Count);
        Assert.Equal(Guid.Empty, waiting);
    }

    [Fact]
    public async Task An_update_with_a_Message_alone_notes_it_on_a_live_job_and_leaves_its_status()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var robot = await RobotAsync(api, "noting");
        var bystander = await RobotAsync(api, "bystander");
        var job = await RunningJobAsync(api, process, robot);

        await api.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}", "Message": "page 3 of 10"}""");
        var read = await api.GetAsync($"/api/job/read/{job}");
        Assert.Equal("page 3 of 10", read.GetProperty("message").GetString());
        Assert.Equal(1, read.GetProperty("status").GetInt32());

        // The holder may note; another robot may not; neither a status nor a message says nothing.
        await api.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}", "Message": "page 4 of 10", "RobotGuid": "{{robot}}"}""");
        var conflict = await api.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}", "Message": "not mine", "RobotGuid": "{{bystander}}"}""", HttpStatusCode.Conflict);
        Assert.Equal("Message", conflict.GetProperty("field").GetString());
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}"}""", HttpStatusCode.BadRequest), "Status");
        Assert.Equal("page 4 of 10", (await api.GetAsync($"/api/job/read/{job}")).GetProperty("message").GetString());

        // A finished job keeps the message it ended with.
        await UpdateAsync(api, job, 2, robot, message: "done");
        await api.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}", "Message": "later"}""", HttpStatusCode.Conflict);
        read = await api.GetAsync($"/api/job/read/{job}");
        Assert.Equal("done", read.GetProperty("message").GetString());
        Assert.Equal(2, read.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Bad_job_input_is_a_4xx_naming_the_field_and_another_accounts_job_is_404()
    {
        using var api = await fixture.NewAccountAsync();
        var (process, _) = await ProcessWithVersionAsync(api);
        var empty = await ProcessScenario.CreateProcessAsync(api, "no versions");

        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", "{}", HttpStatusCode.BadRequest), "ProcessGuid");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "Priority": 3}""", HttpStatusCode.BadRequest), "Priority");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "StopAfter": "soon"}""", HttpStatusCode.BadRequest), "StopAfter");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "StopAfter": -5}""", HttpStatusCode.BadRequest), "StopAfter");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "StopAfter": 99999999999999}""", HttpStatusCode.BadRequest), "StopAfter");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "Parameters": [1]}""", HttpStatusCode.BadRequest), "Parameters");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$$"""{"ProcessGuid": "{{{process}}}", "Parameters": {"p": "\ud800"}}""", HttpStatusCode.BadRequest), "Parameters");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "RobotGuid": "x!"}""", HttpStatusCode.BadRequest), "RobotGuid");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/create", $$"""{"ProcessVersionGuid": "nope"}""", HttpStatusCode.BadRequest), "ProcessVersionGuid");
        await api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{empty}}"}""", HttpStatusCode.Conflict);
        await api.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}", "RobotGroupGuid": "{{Guid.NewGuid()}}"}""", HttpStatusCode.NotFound);
        var job = await CreateJobAsync(api, $$"""{"ProcessGuid": "{{process}}", "StopAfter": "2030-01-01 00:00:00"}""");
        Assert.Equal("2030-01-01 00:00:00", (await api.GetAsync($"/api/job/read/{job}")).GetProperty("stop_after").GetString());
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}"}""", HttpStatusCode.BadRequest), "Status");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}", "Status": 9}""", HttpStatusCode.BadRequest), "Status");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/job/update", """{"Status": 8}""", HttpStatusCode.BadRequest), "Guid");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/job/list?status=12", HttpStatusCode.BadRequest), "status");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/job/list?from=yesterday", HttpStatusCode.BadRequest), "from");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/job/list?robot=x!", HttpStatusCode.BadRequest), "robot");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/job/read/x!", HttpStatusCode.BadRequest), "guid");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{Guid.NewGuid()}}", "RunningJobGUID": "x"}""", HttpStatusCode.BadRequest), "RunningJobGUID");

        using var other = await fixture.NewAccountAsync();
        await other.GetAsync($"/api/job/read/{job}", HttpStatusCode.NotFound);
        await other.PostAsync("/api/job/update", $$"""{"Guid": "{{job}}", "Status": 8}""", HttpStatusCode.NotFound);
        await other.DeleteAsync($"/api/job/delete/{job}", expected: HttpStatusCode.NotFound);
        await other.PostAsync("/api/job/create", $$"""{"ProcessGuid": "{{process}}"}""", HttpStatusCode.NotFound);
        Assert.Empty((await other.GetAsync("/api/job/list")).EnumerateArray());
        Assert.Equal(0, (await api.GetAsync($"/api/job/read/{job}")).GetProperty("status").GetInt32());
    }

    private static List<string?> CommandTypes(JsonElement heartbeat, Guid job) =>
        heartbeat.GetProperty("Commands").EnumerateArray().Where(c => c.GetProperty("JobGUID").GetGuid() == job).Select(c => c.GetProperty("Type").GetString()).ToList();

}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedJobApiTests(EmbeddedFixture fixture) : JobApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobApiTests(PostgresFixture fixture) : JobApiTests(fixture);
