using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Jobs;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Triggers;
using static Orchestrator.Tests.Infrastructure.Polling;
using static Orchestrator.Tests.Infrastructure.TriggerScenario;

namespace Orchestrator.Tests.Triggers;

/// <summary>
/// API.md §10 through real HTTP, on both wirings, on a clock the tests move (never wall-clock minutes): the fields,
/// bad input, firing once per occurrence, overlap, StartAt/EndAt/MaxRuns, continuous refill, calendars, and
/// update/disable/delete taking effect at once. Every test moves the clock by whole seconds and deletes its triggers.
/// </summary>
public abstract class TriggerApiTests(TriggerClockHost host)
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private DateTimeOffset Now => host.Time.GetUtcNow();

    [Fact]
    public async Task Create_read_and_list_answer_every_documented_field()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("guid").GetGuid();
        var groupId = (await api.GetAsync($"/api/robotGroup/read/{group}")).GetProperty("id").GetInt64();

        var (guid, id) = await CreateAsync(api, new
        {
            Name = "nightly", Description = "every morning", CronTab = "0 9 * * *", ProcessingType = "2", Process = process,
            TimeZone = "America/New_York", RobotType = 1, RobotGroupId = group, MaxRuns = 5, CheckMissedTrigger = true,
            StartAt = "2026-01-01 00:00:00", EndAt = "2030-01-01",
        });
        var read = await ReadAsync(api, guid);

        Assert.Equal(guid, read.GetProperty("guid").GetGuid());
        Assert.Equal("nightly", read.GetProperty("name").GetString());
        Assert.Equal("every morning", read.GetProperty("description").GetString());
        Assert.Equal(1, read.GetProperty("status").GetInt32());
        Assert.Equal(2, read.GetProperty("processing_type").GetInt32());
        Assert.Equal(1, read.GetProperty("robot_type").GetInt32());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("robot_id").ValueKind);
        Assert.Equal(groupId, read.GetProperty("robot_group_id").GetInt64());
        Assert.True(read.GetProperty("process_id").GetInt64() > 0);
        Assert.Equal("0 9 * * *", read.GetProperty("cron_tab").GetString());
        Assert.Equal("America/New_York", read.GetProperty("time_zone").GetString());
        Assert.Equal("2026-01-01 00:00:00", read.GetProperty("start_at").GetString());
        Assert.Equal("2030-01-01 00:00:00", read.GetProperty("end_at").GetString());
        Assert.Equal(5, read.GetProperty("max_runs").GetInt64());
        Assert.Equal(1, read.GetProperty("max_running_robots").GetInt32());
        Assert.Equal(1, read.GetProperty("check_missed_trigger").GetInt32());
        Assert.Equal(0, read.GetProperty("runs").GetInt64());
        Assert.Equal(0, read.GetProperty("skipped").GetInt64());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("last_run_at").ValueKind);

        // 09:00 in New York is 14:00 UTC in winter, 13:00 UTC in summer: the next one after now, in that zone.
        var local = TimeZoneInfo.ConvertTime(Now, NewYork);
        var day = local.TimeOfDay < TimeSpan.FromHours(9) ? local.Date : local.Date.AddDays(1);
        var expected = new DateTimeOffset(day.AddHours(9), NewYork.GetUtcOffset(day.AddHours(9)));
        Assert.Equal(Stamp(expected), read.GetProperty("next_run_at").GetString());

        Assert.Equal(read.GetRawText(), (await api.GetAsync($"/api/schedule/read/{id}")).GetRawText());
        var listed = Assert.Single((await api.GetAsync("/api/schedule/list")).EnumerateArray());
        Assert.Equal(read.GetRawText(), listed.GetRawText());
        await DeleteAsync(api, guid);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_a_reference_to_nothing_a_404_naming_it_and_another_accounts_trigger_is_a_404()
    {
        using var api = await host.NewAccountAsync();
        using var other = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (foreignProcess, _) = await JobApiScenario.ProcessWithVersionAsync(other);
        var text = (await api.PostAsync("/api/asset/create", """{"Name": "t", "Type": 2, "Text": "x"}""")).GetProperty("guid").GetGuid();
        var valid = new Dictionary<string, object?> { ["Name"] = "t", ["CronTab"] = "0 * * * *", ["ProcessingType"] = 2, ["ProcessId"] = process };

        (string Field, Dictionary<string, object?> Change)[] cases =
        [
            ("Name", new() { ["Name"] = null }),
            ("ProcessingType", new() { ["ProcessingType"] = null }),
            ("ProcessingType", new() { ["ProcessingType"] = 3 }),
            ("ProcessingType", new() { ["ProcessingType"] = "often" }),
            ("ProcessId", new() { ["ProcessId"] = null }),
            ("ProcessId", new() { ["ProcessId"] = "not-a-guid" }),
            ("CronTab", new() { ["CronTab"] = null }),
            ("CronTab", new() { ["CronTab"] = "* * * *" }),
            ("CronTab", new() { ["CronTab"] = "0 0 0 * * * *" }),
            ("CronTab", new() { ["CronTab"] = "61 * * * *" }),
            ("CronTab", new() { ["CronTab"] = "every day" }),
            ("TimeZone", new() { ["TimeZone"] = "Mars/Olympus" }),
            ("TimeZone", new() { ["TimeZone"] = "" }),
            ("Status", new() { ["Status"] = 2 }),
            ("RobotType", new() { ["RobotType"] = 3 }),
            ("RobotId", new() { ["RobotType"] = 2 }),
            ("RobotGroupId", new() { ["RobotType"] = 1 }),
            ("StartAt", new() { ["StartAt"] = "yesterday" }),
            ("EndAt", new() { ["StartAt"] = "2026-05-01", ["EndAt"] = "2026-04-01" }),
            ("MaxRuns", new() { ["MaxRuns"] = -1 }),
            ("MaxRunningRobots", new() { ["MaxRunningRobots"] = 0 }),
            ("CheckMissedTrigger", new() { ["CheckMissedTrigger"] = "maybe" }),
            ("CalendarAssetId", new() { ["CalendarAssetId"] = text }),
        ];
        foreach (var (field, change) in cases)
        {
            var body = new Dictionary<string, object?>(valid);
            foreach (var (key, value) in change)
            {
                body[key] = value;
            }

            var answer = await api.SendAsync(HttpMethod.Post, "/api/schedule/create", JsonSerializer.Serialize(body));
            var problem = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(change)}: {(int)answer.StatusCode} {problem}");
            Assert.Contains(field, problem);
        }

        // References to nothing in the caller's account, another account's included, are 404s naming the field.
        var foreignRobot = await JobApiScenario.RobotAsync(other, "theirs");
        (string Field, Dictionary<string, object?> Change)[] missing =
        [
            ("ProcessId", new() { ["ProcessId"] = Guid.NewGuid() }),
            ("ProcessId", new() { ["ProcessId"] = foreignProcess }),
            ("ProcessId", new() { ["ProcessId"] = 999999 }),
            ("RobotId", new() { ["RobotType"] = 2, ["RobotId"] = Guid.NewGuid() }),
            ("RobotId", new() { ["RobotType"] = 2, ["RobotId"] = foreignRobot }),
            ("RobotGroupId", new() { ["RobotType"] = 1, ["RobotGroupId"] = "12345678" }),
            ("CalendarAssetId", new() { ["CalendarAssetId"] = Guid.NewGuid() }),
        ];
        foreach (var (field, change) in missing)
        {
            var body = new Dictionary<string, object?>(valid);
            foreach (var (key, value) in change)
            {
                body[key] = value;
            }

            var answer = await api.SendAsync(HttpMethod.Post, "/api/schedule/create", JsonSerializer.Serialize(body));
            var problem = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{JsonSerializer.Serialize(change)}: {(int)answer.StatusCode} {problem}");
            Assert.Contains($"\"field\":\"{field}\"", problem);
        }

        var (mine, _) = await CreateAsync(api, valid);
        await api.PutAsync("/api/schedule/update", $$"""{"Guid": "{{mine}}", "ProcessId": "{{foreignProcess}}"}""", HttpStatusCode.NotFound);
        var malformed = await api.SendAsync(HttpMethod.Put, "/api/schedule/update", $$"""{"Guid": "{{mine}}", "CronTab": "* *"}""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("CronTab", await malformed.Content.ReadAsStringAsync());
        var toContinuousWithoutRobot = await api.SendAsync(HttpMethod.Put, "/api/schedule/update", $$"""{"Guid": "{{mine}}", "RobotType": 2}""");
        Assert.Equal(HttpStatusCode.BadRequest, toContinuousWithoutRobot.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Put, "/api/schedule/update", """{"Name": "x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, "/api/schedule/create", "{\"Name\": ")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Get, "/api/schedule/list?take=-1")).StatusCode);

        await other.GetAsync($"/api/schedule/read/{mine}", HttpStatusCode.NotFound);
        await other.PutAsync("/api/schedule/update", $$"""{"Guid": "{{mine}}", "Status": 0}""", HttpStatusCode.NotFound);
        await other.DeleteAsync($"/api/schedule/delete/{mine}", null, HttpStatusCode.NotFound);
        Assert.Empty((await other.GetAsync("/api/schedule/list")).EnumerateArray());
        await api.PostAsync("/api/schedule/create", JsonSerializer.Serialize(valid), HttpStatusCode.Conflict);
        Assert.Equal(1, (await ReadAsync(api, mine)).GetProperty("status").GetInt32());
        await DeleteAsync(api, mine);
        await api.GetAsync($"/api/schedule/read/{mine}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cron_every_second_fires_one_job_per_second_each_for_its_occurrence()
    {
        using var api = await host.NewAccountAsync();
        var (process, version) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robot = await JobApiScenario.RobotAsync(api, "r");
        var (trigger, id) = await ScheduleAsync(api, process, "tick", "* * * * * *", new { RobotType = 2, RobotId = robot });

        var occurrences = new List<DateTimeOffset>();
        for (var i = 1; i <= 5; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            occurrences.Add(Now);
            await JobCountAsync(api, id, i);
            await CancelPendingAsync(api, id);
        }

        var jobs = await JobsAsync(api, id);
        Assert.Equal(occurrences.Select(Stamp), jobs.Select(j => j.GetProperty("scheduled_at").GetString()));
        Assert.All(jobs, j =>
        {
            Assert.Equal(1, j.GetProperty("type").GetInt32());
            Assert.Equal(id, j.GetProperty("schedule_id").GetInt64());
            Assert.Equal(version, j.GetProperty("process_version_guid").GetGuid());
        });
        Assert.Equal(jobs.Count, jobs.Select(j => j.GetProperty("guid").GetGuid()).Distinct().Count());
        var read = await SettledAsync(api, trigger, Now);
        Assert.Equal(5, read.GetProperty("runs").GetInt64());
        Assert.Equal(0, read.GetProperty("skipped").GetInt64());
        Assert.Equal(Stamp(Now), read.GetProperty("last_run_at").GetString());
        Assert.Equal(Stamp(Now.AddSeconds(1)), read.GetProperty("next_run_at").GetString());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_fire_prepared_ahead_of_its_occurrence_leaves_no_trace_before_it_and_creates_its_one_job_at_it()
    {
        using var api = await host.NewAccountAsync();
        var (process, version) = await JobApiScenario.ProcessWithVersionAsync(api);

        // One second before the occurrence (within PrepareAhead, 5 s by default): the trigger prepares its fire...
        var (trigger, id, occurrence, grain) = await PreparedAsync(api, process, "prepared");
        var job = TriggerJobs.ForOccurrence(trigger, occurrence);

        // ...and nothing of it shows: no job row, the trigger's runs and last run untouched.
        Assert.Empty(await JobsAsync(api, id));
        Assert.False(await host.Host.Services.GetRequiredService<TriggerRecords>().JobExistsAsync(job));
        var before = await ReadAsync(api, trigger);
        Assert.Equal(0, before.GetProperty("runs").GetInt64());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("last_run_at").ValueKind);
        Assert.Equal(Stamp(occurrence), before.GetProperty("next_run_at").GetString());

        // At the occurrence: exactly one job, the one derived from it, running the version read ahead.
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var created = Assert.Single(await JobCountAsync(api, id, 1));
        Assert.Equal(job, created.GetProperty("guid").GetGuid());
        Assert.Equal(Stamp(occurrence), created.GetProperty("scheduled_at").GetString());
        Assert.Equal(version, created.GetProperty("process_version_guid").GetGuid());
        var after = await SettledAsync(api, trigger, Now);
        Assert.Equal(1, after.GetProperty("runs").GetInt64());
        Assert.Equal(Stamp(occurrence), after.GetProperty("last_run_at").GetString());
        Assert.Null(await grain.PreparedForAsync());
        Assert.Single(await JobsAsync(api, id));
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_fired_job_that_waits_for_a_robot_holds_no_activation_in_the_silo()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id, occurrence, _) = await PreparedAsync(api, process, "no robot");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var job = Assert.Single(await JobCountAsync(api, id, 1)).GetProperty("guid").GetGuid();
        Assert.Equal(TriggerJobs.ForOccurrence(trigger, occurrence), job);

        // Neither the preparation nor the fire woke the job's grain: thousands of jobs fired together and waiting for
        // robots take no memory of the silo until one is handed out.
        var grains = host.Host.Services.GetRequiredService<IGrainFactory>();
        var active = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        Assert.DoesNotContain(active, a => a.GrainId == grains.GetGrain<IJobGrain>(job).GetGrainId());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_fired_job_goes_to_its_robot_even_when_its_grain_was_woken_before_the_job_existed()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robot = await JobApiScenario.RobotAsync(api, "r");
        var occurrence = Now.AddSeconds(10);
        var (trigger, id) = await ScheduleAsync(
            api, process, "woken", $"{occurrence.Second} {occurrence.Minute} {occurrence.Hour} * * *", new { RobotType = 2, RobotId = robot });
        var job = TriggerJobs.ForOccurrence(trigger, occurrence);

        // A call that wakes the job's grain ahead of its row (and does not send it away): its memory says "no job".
        var grains = host.Host.Services.GetRequiredService<IGrainFactory>();
        Assert.False(await grains.GetGrain<IJobGrain>(job).HeldByAsync(robot));

        // The trigger writes the row itself, not through that grain; the grain reads it when the job is handed out.
        host.Time.Advance(occurrence - Now);
        Assert.Equal(job, Assert.Single(await JobCountAsync(api, id, 1)).GetProperty("guid").GetGuid());
        Assert.Equal([job], JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, robot, wait: 10)));
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_version_added_after_the_fire_was_prepared_is_the_one_its_job_runs()
    {
        using var api = await host.NewAccountAsync();
        var (process, readAhead) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id, occurrence, _) = await PreparedAsync(api, process, "newer version");

        // A version added a second before the occurrence, after the trigger read the latest one ahead of it.
        var newer = await ProcessScenario.CreateVersionAsync(api, process, [1, 2, 3]);
        Assert.NotEqual(readAhead, newer);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var job = Assert.Single(await JobCountAsync(api, id, 1));
        Assert.Equal(Stamp(occurrence), job.GetProperty("scheduled_at").GetString());
        Assert.Equal(newer, job.GetProperty("process_version_guid").GetGuid());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_version_deleted_after_the_fire_was_prepared_is_not_run()
    {
        using var api = await host.NewAccountAsync();
        var (process, only) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id, _, _) = await PreparedAsync(api, process, "deleted version");

        // The only version deleted after it was read ahead: the occurrence has nothing to run, and is skipped.
        await api.DeleteAsync($"/api/processVersion/delete/{only}");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => ReadAsync(api, trigger), t => t.GetProperty("skipped").GetInt64() == 1);
        Assert.Equal(0, (await ReadAsync(api, trigger)).GetProperty("runs").GetInt64());
        Assert.Empty(await JobsAsync(api, id));
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_trigger_aimed_at_a_deleted_robot_or_group_skips_its_occurrences_and_leaves_no_job_waiting()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robot = await JobApiScenario.RobotAsync(api, "deleted robot");
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "deleted group"}""")).GetProperty("guid").GetGuid();
        var (toGroup, toGroupId) = await ScheduleAsync(api, process, "every second to the group", "* * * * * *", new { RobotType = 1, RobotGroupId = group });
        var (continuous, continuousId) = await CreateAsync(api, new { Name = "continuous to the robot", ProcessingType = 1, ProcessId = process, RobotType = 2, RobotId = robot });
        await JobCountAsync(api, continuousId, 1);

        // A fire read ahead of its occurrence while the robot was there; the robot goes before the occurrence comes.
        var (toRobot, toRobotId, _, _) = await PreparedAsync(api, process, "prepared for the robot", new { RobotType = 2, RobotId = robot });
        await JobCountAsync(api, toGroupId, 1);
        await api.DeleteAsync($"/api/robot/delete/{robot}");
        await api.DeleteAsync($"/api/robotGroup/delete/{group}");

        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await SettledAsync(api, toGroup, Now);
            await SettledAsync(api, toRobot, Now);
        }

        // Every occurrence after the delete is skipped and counted; the jobs made before it were cancelled, and no job
        // made after it waits for a robot that will never come. The continuous trigger does not refill.
        await EventuallyAsync(() => ReadAsync(api, toRobot), t => t.GetProperty("skipped").GetInt64() == 1);
        Assert.Equal(0, (await ReadAsync(api, toRobot)).GetProperty("runs").GetInt64());
        Assert.Empty(await JobsAsync(api, toRobotId));
        await Task.Delay(300);
        foreach (var (trigger, id) in new[] { (toGroup, toGroupId), (continuous, continuousId) })
        {
            var jobs = await JobsAsync(api, id);
            Assert.All(jobs, j => Assert.Equal(8, j.GetProperty("status").GetInt32()));
            Assert.Equal(jobs.Count, (await ReadAsync(api, trigger)).GetProperty("runs").GetInt64());
        }

        Assert.True((await ReadAsync(api, toGroup)).GetProperty("skipped").GetInt64() >= 3);
        foreach (var trigger in new[] { toGroup, continuous, toRobot })
        {
            await DeleteAsync(api, trigger);
        }
    }

    /// <summary>A trigger of <paramref name="process"/> due 10 s from now, moved to a second before it and prepared.</summary>
    private async Task<(Guid Trigger, long Id, DateTimeOffset Occurrence, ITriggerGrain Grain)> PreparedAsync(
        ApiClient api, Guid process, string name, object? more = null)
    {
        var occurrence = Now.AddSeconds(10);
        var (trigger, id) = await ScheduleAsync(api, process, name, $"{occurrence.Second} {occurrence.Minute} {occurrence.Hour} * * *", more);
        var grain = host.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<ITriggerGrain>(trigger);
        host.Time.Advance(occurrence - Now - TimeSpan.FromSeconds(1));
        await EventuallyAsync(grain.PreparedForAsync, at => at == occurrence);
        return (trigger, id, occurrence, grain);
    }

    [Fact]
    public async Task An_occurrence_while_the_previous_job_is_still_pending_is_skipped_and_counted()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id) = await ScheduleAsync(api, process, "busy", "* * * * * *");

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await JobCountAsync(api, id, 1);
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await SettledAsync(api, trigger, Now);
        }

        var read = await ReadAsync(api, trigger);
        Assert.Equal(1, read.GetProperty("runs").GetInt64());
        Assert.Equal(3, read.GetProperty("skipped").GetInt64());
        Assert.Single(await JobsAsync(api, id));

        // Once the job is no longer pending, the next occurrence fires again.
        await CancelPendingAsync(api, id);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var jobs = await JobCountAsync(api, id, 2);
        Assert.Equal(Stamp(Now), jobs[1].GetProperty("scheduled_at").GetString());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task An_occurrence_whose_process_has_no_version_is_skipped_and_counted()
    {
        using var api = await host.NewAccountAsync();
        var process = (await api.PostAsync("/api/process/create", """{"Name": "empty"}""")).GetProperty("guid").GetGuid();
        var (trigger, id) = await ScheduleAsync(api, process, "nothing to run", "* * * * * *");

        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await EventuallyAsync(() => ReadAsync(api, trigger), t => t.GetProperty("skipped").GetInt64() == i + 1);
        }

        var read = await ReadAsync(api, trigger);
        Assert.Equal(0, read.GetProperty("runs").GetInt64());
        Assert.Empty(await JobsAsync(api, id));

        // With a version, the next occurrence fires; the count of skips stays.
        await api.PostAsync(
            "/api/processVersion/create", $$"""{"Name": "v1", "ProcessGuid": "{{process}}", "ProcessFile": "UEsDBA==", "ProcessFileName": "bot.robot"}""");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var job = Assert.Single(await JobCountAsync(api, id, 1));
        Assert.Equal(Stamp(Now), job.GetProperty("scheduled_at").GetString());
        read = await ReadAsync(api, trigger);
        Assert.Equal(1, read.GetProperty("runs").GetInt64());
        Assert.Equal(3, read.GetProperty("skipped").GetInt64());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_trigger_fires_only_between_StartAt_and_EndAt_and_stops_at_MaxRuns()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var start = Now.AddSeconds(3);
        var (window, windowId) = await ScheduleAsync(api, process, "window", "* * * * * *", new { StartAt = Stamp(start), EndAt = Stamp(start.AddSeconds(2)) });
        var (limited, limitedId) = await ScheduleAsync(api, process, "limited", "* * * * * *", new { MaxRuns = 2 });
        Assert.Equal(Stamp(start), (await ReadAsync(api, window)).GetProperty("next_run_at").GetString());

        for (var i = 0; i < 8; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await SettledAsync(api, window, Now);
            await SettledAsync(api, limited, Now);
            await CancelPendingAsync(api, windowId);
            await CancelPendingAsync(api, limitedId);
        }

        Assert.Equal(
            new[] { start, start.AddSeconds(1), start.AddSeconds(2) }.Select(Stamp),
            (await JobsAsync(api, windowId)).Select(j => j.GetProperty("scheduled_at").GetString()));
        Assert.Equal(JsonValueKind.Null, (await ReadAsync(api, window)).GetProperty("next_run_at").ValueKind);
        Assert.Equal(2, (await JobsAsync(api, limitedId)).Count);
        var read = await ReadAsync(api, limited);
        Assert.Equal(2, read.GetProperty("runs").GetInt64());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("next_run_at").ValueKind);

        // Raising MaxRuns lets it fire again from the next occurrence on.
        await api.PutAsync("/api/schedule/update", $$"""{"Guid": "{{limited}}", "MaxRuns": 3}""");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await JobCountAsync(api, limitedId, 3);
        await DeleteAsync(api, window);
        await DeleteAsync(api, limited);
    }

    [Fact]
    public async Task A_continuous_trigger_keeps_MaxRunningRobots_jobs_and_starts_the_next_as_soon_as_one_ends()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id) = await CreateAsync(api, new { Name = "always", ProcessingType = 1, ProcessId = process, MaxRunningRobots = 2, MaxRuns = 4 });

        var jobs = await JobCountAsync(api, id, 2);
        Assert.All(jobs, j =>
        {
            Assert.Equal(2, j.GetProperty("type").GetInt32());
            Assert.Equal(id, j.GetProperty("schedule_id").GetInt64());
            Assert.Equal(JsonValueKind.Null, j.GetProperty("scheduled_at").ValueKind);
            Assert.Equal(0, j.GetProperty("status").GetInt32());
        });

        // No clock moves: the end of a job is what starts the next.
        await api.PostAsync("/api/job/update", JsonSerializer.Serialize(new { Guid = jobs[0].GetProperty("guid").GetGuid(), Status = 8 }));
        jobs = await JobCountAsync(api, id, 3);
        Assert.Equal(2, jobs.Count(j => j.GetProperty("status").GetInt32() == 0));
        await api.DeleteAsync($"/api/job/delete/{jobs[1].GetProperty("guid").GetGuid()}");
        await JobCountAsync(api, id, 3); // the deleted one leaves the list, the fourth joins it
        var read = await EventuallyAsync(() => ReadAsync(api, trigger), t => t.GetProperty("runs").GetInt64() == 4);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("next_run_at").ValueKind);

        // MaxRuns reached: an ended job is not replaced.
        await CancelPendingAsync(api, id);
        await Task.Delay(300);
        Assert.Equal(4, (await ReadAsync(api, trigger)).GetProperty("runs").GetInt64());
        Assert.DoesNotContain(await JobsAsync(api, id), j => j.GetProperty("status").GetInt32() == 0);
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_triggers_jobs_go_to_its_target_a_robot_of_its_group_or_the_one_robot()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var member = await JobApiScenario.RobotAsync(api, "member");
        var outsider = await JobApiScenario.RobotAsync(api, "outsider");
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("guid").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{member}}"}""");
        // Only the outsider is idle when the job comes: a job for any robot would be its.
        await JobApiScenario.HeartbeatAsync(api, outsider);

        var (forGroup, groupId) = await CreateAsync(api, new { Name = "group", ProcessingType = 1, ProcessId = process, RobotType = 1, RobotGroupId = group });
        var job = (await JobCountAsync(api, groupId, 1))[0].GetProperty("guid").GetGuid();
        Assert.Empty(JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, outsider, wait: 2)));
        Assert.Equal([job], JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, member, wait: 10)));
        await DeleteAsync(api, forGroup);

        var (forRobot, robotId) = await CreateAsync(api, new { Name = "robot", ProcessingType = 1, ProcessId = process, RobotType = "2", RobotId = outsider });
        job = (await JobCountAsync(api, robotId, 1))[0].GetProperty("guid").GetGuid();
        Assert.Equal([job], JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, outsider, wait: 10)));
        await DeleteAsync(api, forRobot);
    }

    [Fact]
    public async Task Occurrences_on_the_dates_of_its_calendar_are_skipped_in_the_triggers_time_zone()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, Berlin).Date);
        var holiday = today.AddDays(1);
        var calendar = (await api.PostAsync("/api/asset/create", JsonSerializer.Serialize(new { Name = "holidays", Type = 3, Text = $"[\"{holiday:yyyy-MM-dd}\"]" })))
            .GetProperty("guid").GetGuid();
        var (trigger, id) = await ScheduleAsync(api, process, "daily", "0 0 23 * * *", new { TimeZone = "Europe/Berlin", CalendarAssetId = calendar });

        // 23:00 in Berlin: today's (if still ahead), never the holiday's, then the day after.
        var at = (DateOnly d) => new DateTimeOffset(d.ToDateTime(new TimeOnly(23, 0)), Berlin.GetUtcOffset(d.ToDateTime(new TimeOnly(23, 0))));
        var first = at(today) > Now ? at(today) : at(holiday.AddDays(1));
        Assert.Equal(Stamp(first), (await ReadAsync(api, trigger)).GetProperty("next_run_at").GetString());

        host.Time.Advance(first - Now);
        var jobs = await JobCountAsync(api, id, 1);
        Assert.Equal(Stamp(first), jobs[0].GetProperty("scheduled_at").GetString());
        var next = (await SettledAsync(api, trigger, Now)).GetProperty("next_run_at").GetString();
        Assert.Equal(Stamp(first == at(today) ? at(holiday.AddDays(1)) : at(holiday.AddDays(2))), next);
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_calendar_changed_later_does_not_bring_back_the_occurrences_it_skipped()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var calendar = (await api.PostAsync("/api/asset/create", JsonSerializer.Serialize(new { Name = "off", Type = 3, Text = $"[\"{today:yyyy-MM-dd}\", \"{today.AddDays(1):yyyy-MM-dd}\"]" })))
            .GetProperty("guid").GetGuid();
        var (trigger, id) = await ScheduleAsync(api, process, "every ten seconds", "*/10 * * * * *", new { CalendarAssetId = calendar });

        // Three occurrences pass on the calendar's dates, then the calendar no longer has them.
        host.Time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        var changedAt = Now;
        await api.PutAsync("/api/asset/update", JsonSerializer.Serialize(new { Guid = calendar, Text = "[\"2099-01-01\"]" }));

        // The next occurrence is the first after the change; none of the three comes back as a late fire.
        var next = await EventuallyAsync(() => NextRunAsync(api, trigger), n => n < changedAt.AddDays(1));
        Assert.True(next > changedAt, $"next run {next:O} is not after the change at {changedAt:O}");
        await Task.Delay(300);
        Assert.Empty(await JobsAsync(api, id));
        host.Time.Advance(next - Now);
        var job = Assert.Single(await JobCountAsync(api, id, 1));
        Assert.Equal(Stamp(next), job.GetProperty("scheduled_at").GetString());
        Assert.Equal(0, (await ReadAsync(api, trigger)).GetProperty("skipped").GetInt64());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_robot_or_group_named_with_RobotType_0_or_none_is_the_triggers_target_as_the_vendor_document_numbers_it()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var chosen = await JobApiScenario.RobotAsync(api, "chosen");
        var other = await JobApiScenario.RobotAsync(api, "other");
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("guid").GetGuid();

        // Only the other robot is idle when the job comes: a job for any robot would be its.
        await JobApiScenario.HeartbeatAsync(api, other);
        var (trigger, id) = await CreateAsync(api, new { Name = "one robot", ProcessingType = 1, ProcessId = process, RobotType = 0, RobotId = chosen });

        Assert.Equal(2, (await ReadAsync(api, trigger)).GetProperty("robot_type").GetInt32());
        var job = (await JobCountAsync(api, id, 1))[0].GetProperty("guid").GetGuid();
        Assert.Empty(JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, other, wait: 2)));
        Assert.Equal([job], JobApiScenario.Starts(await JobApiScenario.HeartbeatAsync(api, chosen, wait: 10)));
        await DeleteAsync(api, trigger);

        var (forGroup, _) = await CreateAsync(api, new { Name = "a group", ProcessingType = 2, CronTab = "0 0 0 1 1 *", ProcessId = process, RobotGroupId = group });
        var read = await ReadAsync(api, forGroup);
        Assert.Equal(1, read.GetProperty("robot_type").GetInt32());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("robot_id").ValueKind);
        await DeleteAsync(api, forGroup);
    }

    [Fact]
    public async Task A_continuous_trigger_waiting_for_a_version_starts_its_job_as_soon_as_one_is_added()
    {
        using var api = await host.NewAccountAsync();
        var process = (await api.PostAsync("/api/process/create", """{"Name": "empty"}""")).GetProperty("guid").GetGuid();
        var (trigger, id) = await CreateAsync(api, new { Name = "waits", ProcessingType = 1, ProcessId = process });
        await Task.Delay(200);
        Assert.Empty(await JobsAsync(api, id));

        // The clock stands still: only the version's notice can wake the trigger before its reminder, a minute away.
        await api.PostAsync(
            "/api/processVersion/create", $$"""{"Name": "v1", "ProcessGuid": "{{process}}", "ProcessFile": "UEsDBA==", "ProcessFileName": "bot.robot"}""");
        var jobs = await EventuallyAsync(() => JobsAsync(api, id), j => j.Count >= 1, seconds: 10);

        Assert.Equal(2, Assert.Single(jobs).GetProperty("type").GetInt32());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task The_job_list_takes_a_trigger_by_GUID_or_id()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id) = await CreateAsync(api, new { Name = "c", ProcessingType = 1, ProcessId = process });
        var job = (await JobCountAsync(api, id, 1))[0].GetProperty("guid").GetGuid();

        Assert.Equal(job, Assert.Single((await api.GetAsync($"/api/job/list?schedule={trigger}")).EnumerateArray()).GetProperty("guid").GetGuid());
        Assert.Empty((await api.GetAsync($"/api/job/list?schedule={Guid.NewGuid()}")).EnumerateArray());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task Concurrent_updates_of_different_fields_all_stay()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, _) = await ScheduleAsync(api, process, "t", "0 0 1 1 *");

        // Each round sends every field's update at once, each naming one field only: none may undo another.
        for (var round = 1; round <= 5; round++)
        {
            var updates = new Dictionary<string, object>
            {
                ["Name"] = $"name {round}",
                ["Description"] = $"description {round}",
                ["CronTab"] = $"0 {round} 1 1 *",
                ["TimeZone"] = round % 2 == 0 ? "Europe/Berlin" : "America/New_York",
                ["MaxRuns"] = 100 + round,
                ["MaxRunningRobots"] = 1 + round,
                ["CheckMissedTrigger"] = round % 2 == 0 ? 1 : 0,
                ["StartAt"] = $"2026-01-0{round} 00:00:00",
                ["EndAt"] = $"2030-01-0{round} 00:00:00",
                ["Status"] = round % 2,
            };
            await Task.WhenAll(updates.Select(u => api.PutAsync(
                "/api/schedule/update", JsonSerializer.Serialize(new Dictionary<string, object> { ["Guid"] = trigger, [u.Key] = u.Value }))));

            var read = await ReadAsync(api, trigger);
            Assert.Equal($"name {round}", read.GetProperty("name").GetString());
            Assert.Equal($"description {round}", read.GetProperty("description").GetString());
            Assert.Equal($"0 {round} 1 1 *", read.GetProperty("cron_tab").GetString());
            Assert.Equal(updates["TimeZone"], read.GetProperty("time_zone").GetString());
            Assert.Equal(100 + round, read.GetProperty("max_runs").GetInt64());
            Assert.Equal(1 + round, read.GetProperty("max_running_robots").GetInt32());
            Assert.Equal(updates["CheckMissedTrigger"], read.GetProperty("check_missed_trigger").GetInt32());
            Assert.Equal($"2026-01-0{round} 00:00:00", read.GetProperty("start_at").GetString());
            Assert.Equal($"2030-01-0{round} 00:00:00", read.GetProperty("end_at").GetString());
            Assert.Equal(round % 2, read.GetProperty("status").GetInt32());
        }

        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task Disable_update_and_delete_take_effect_at_once_and_a_disabled_period_is_not_caught_up()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id) = await ScheduleAsync(api, process, "t", "* * * * * *", new { CheckMissedTrigger = 1 });
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await JobCountAsync(api, id, 1);
        await CancelPendingAsync(api, id);

        // A disable racing the fire of the next occurrence: whichever comes first, nothing fires after the disable's answer.
        var race = Task.Run(() => host.Time.Advance(TimeSpan.FromSeconds(1)));
        await api.PutAsync("/api/schedule/update", $$"""{"Guid": "{{trigger}}", "Status": "0"}""");
        await race;
        var afterDisable = (await JobsAsync(api, id)).Count;
        Assert.Equal(JsonValueKind.Null, (await ReadAsync(api, trigger)).GetProperty("next_run_at").ValueKind);
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await Task.Delay(300);
        Assert.Equal(afterDisable, (await JobsAsync(api, id)).Count);

        // Enabled again: the seconds it was disabled are not caught up; the next occurrence fires.
        await CancelPendingAsync(api, id);
        await api.PutAsync("/api/schedule/update", $$"""{"Guid": "{{trigger}}", "Status": 1}""");
        Assert.Equal(afterDisable, (await JobsAsync(api, id)).Count);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var jobs = await JobCountAsync(api, id, afterDisable + 1);
        Assert.Equal(Stamp(Now), jobs[^1].GetProperty("scheduled_at").GetString());
        await CancelPendingAsync(api, id);

        // A new cron: the next occurrence follows it.
        await api.PutAsync("/api/schedule/update", $$"""{"Guid": "{{trigger}}", "CronTab": "0 0 * * * *"}""");
        var hour = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        Assert.Equal(Stamp(hour), (await ReadAsync(api, trigger)).GetProperty("next_run_at").GetString());

        // Deleted: the occurrence it would have fired creates nothing.
        await DeleteAsync(api, trigger);
        host.Time.Advance(hour - Now + TimeSpan.FromSeconds(1));
        await Task.Delay(300);
        Assert.Equal(afterDisable + 1, (await JobsAsync(api, id)).Count);
        await api.GetAsync($"/api/schedule/read/{trigger}", HttpStatusCode.NotFound);
    }
}

public sealed class EmbeddedTriggerApiTests(EmbeddedTriggerClockHost host) : TriggerApiTests(host), IClassFixture<EmbeddedTriggerClockHost>;

public sealed class PostgresTriggerApiTests(PostgresTriggerClockHost host) : TriggerApiTests(host), IClassFixture<PostgresTriggerClockHost>;
