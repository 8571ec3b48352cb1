using Orchestrator.Tests.Infrastructure;
using Orchestrator.Triggers;
using static Orchestrator.Tests.Infrastructure.Polling;
using static Orchestrator.Tests.Infrastructure.TriggerScenario;

namespace Orchestrator.Tests.Triggers;

/// <summary>
/// Occurrences that pass while no silo runs the trigger (CheckMissedTrigger, API.md §10), across a stop and a start
/// of the orchestrator on the same database with its clock moved meanwhile, on both wirings; and the start wakes its
/// enabled triggers within seconds, not at their reminder's next tick.
/// </summary>
public abstract class TriggerRestartTests(TriggerClockHost host)
{
    [Fact]
    public async Task Missed_occurrences_collapse_into_one_catch_up_job_with_CheckMissedTrigger_1_and_are_skipped_with_0()
    {
        var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (catchUp, catchUpId) = await ScheduleAsync(api, process, "catch-up", "0 0 * * * *", new { CheckMissedTrigger = 1 });
        var (skip, skipId) = await ScheduleAsync(api, process, "skip", "0 0 * * * *", new { CheckMissedTrigger = 0 });
        var now = host.Time.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);

        // Down from before the next hour until half past the third: three occurrences missed, none due just now.
        await host.RestartAsync(hour.AddHours(3.5) - now);
        api.Dispose();
        api = host.Host.Client(api.Key!);

        // Nothing reads the triggers: only the start's wake can have fired the catch-up.
        var jobs = await EventuallyAsync(() => JobsAsync(api, catchUpId), j => j.Count >= 1, seconds: 10);
        var job = Assert.Single(jobs);
        Assert.Equal(Stamp(hour.AddHours(3)), job.GetProperty("scheduled_at").GetString());
        Assert.Equal(1, job.GetProperty("type").GetInt32());

        var caughtUp = await ReadAsync(api, catchUp);
        Assert.Equal(1, caughtUp.GetProperty("runs").GetInt64());
        Assert.Equal(2, caughtUp.GetProperty("skipped").GetInt64());
        Assert.Equal(Stamp(hour.AddHours(4)), caughtUp.GetProperty("next_run_at").GetString());
        var skipped = await ReadAsync(api, skip);
        Assert.Equal(0, skipped.GetProperty("runs").GetInt64());
        Assert.Equal(3, skipped.GetProperty("skipped").GetInt64());
        Assert.Equal(Stamp(hour.AddHours(4)), skipped.GetProperty("next_run_at").GetString());
        Assert.Empty(await JobsAsync(api, skipId));

        // Both fire their next occurrence as usual.
        await CancelPendingAsync(api, catchUpId);
        host.Time.Advance(hour.AddHours(4) - host.Time.GetUtcNow());
        Assert.Equal(Stamp(hour.AddHours(4)), (await JobCountAsync(api, skipId, 1))[0].GetProperty("scheduled_at").GetString());
        Assert.Equal(Stamp(hour.AddHours(4)), (await JobCountAsync(api, catchUpId, 2))[1].GetProperty("scheduled_at").GetString());
        api.Dispose();
    }

    [Fact]
    public async Task An_occurrence_that_passed_while_the_orchestrator_was_down_is_missed_however_short_the_outage()
    {
        var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);

        // Ten seconds past a minute: the triggers' next occurrence is fifty seconds away.
        var now = host.Time.GetUtcNow();
        var tenPast = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 10, TimeSpan.Zero);
        host.Time.Advance((tenPast > now ? tenPast : tenPast.AddMinutes(1)) - now);
        var (catchUp, catchUpId) = await ScheduleAsync(api, process, "catch-up", "0 * * * * *", new { CheckMissedTrigger = 1 });
        var (skip, skipId) = await ScheduleAsync(api, process, "skip", "0 * * * * *", new { CheckMissedTrigger = 0 });
        var next = await NextRunAsync(api, catchUp);

        // Down from before the occurrence until 20 s after it: well within the misfire threshold, but no silo ran the
        // triggers when it came.
        await host.RestartAsync(next.AddSeconds(20) - host.Time.GetUtcNow());
        api.Dispose();
        api = host.Host.Client(api.Key!);

        var job = Assert.Single(await JobCountAsync(api, catchUpId, 1));
        Assert.Equal(Stamp(next), job.GetProperty("scheduled_at").GetString());
        var skipped = await EventuallyAsync(() => ReadAsync(api, skip), t => t.GetProperty("skipped").GetInt64() == 1, seconds: 10);
        Assert.Equal(0, skipped.GetProperty("runs").GetInt64());
        Assert.Empty(await JobsAsync(api, skipId));
        await DeleteAsync(api, catchUp);
        await DeleteAsync(api, skip);
        api.Dispose();
    }

    [Fact]
    public async Task An_occurrence_late_by_less_than_the_misfire_threshold_is_not_missed_but_fired()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id) = await ScheduleAsync(api, process, "late", "0 * * * * *", new { CheckMissedTrigger = 0 });
        var next = await NextRunAsync(api, trigger);

        // The clock jumps 30 s past the occurrence before the trigger sees it: late, not missed.
        host.Time.Advance(next - host.Time.GetUtcNow() + TimeSpan.FromSeconds(30));
        var job = Assert.Single(await JobCountAsync(api, id, 1));
        Assert.Equal(Stamp(next), job.GetProperty("scheduled_at").GetString());
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_fire_recorded_but_whose_job_was_never_created_gets_its_job_when_the_trigger_wakes_after_a_restart()
    {
        var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id) = await ScheduleAsync(api, process, "crash", "0 0 * * * *");
        var next = await NextRunAsync(api, trigger);

        // A crash right after the row recorded the fire of the next occurrence, before its job existed.
        var job = TriggerJobs.ForOccurrence(trigger, next);
        await host.RestartAsync(next - host.Time.GetUtcNow() + TimeSpan.FromMinutes(10), database => database.ExecuteAsync(
            "UPDATE triggers SET runs = 1, last_occurrence = @occurrence, last_run_at = @occurrence, last_job_guid = @job WHERE id = @id",
            ("@occurrence", next), ("@job", job), ("@id", id)));
        api.Dispose();
        api = host.Host.Client(api.Key!);

        var created = Assert.Single(await EventuallyAsync(() => JobsAsync(api, id), j => j.Count >= 1, seconds: 10));
        Assert.Equal(job, created.GetProperty("guid").GetGuid());
        Assert.Equal(Stamp(next), created.GetProperty("scheduled_at").GetString());
        Assert.Equal(1, (await ReadAsync(api, trigger)).GetProperty("runs").GetInt64());
        await DeleteAsync(api, trigger);
        api.Dispose();
    }
}

public sealed class EmbeddedTriggerRestartTests(EmbeddedTriggerClockHost host) : TriggerRestartTests(host), IClassFixture<EmbeddedTriggerClockHost>;

public sealed class PostgresTriggerRestartTests(PostgresTriggerClockHost host) : TriggerRestartTests(host), IClassFixture<PostgresTriggerClockHost>;
