using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Jobs;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Triggers;
using static Orchestrator.Tests.Infrastructure.TriggerScenario;

namespace Orchestrator.Tests.Triggers;

/// <summary>
/// The compare-and-set that decides each occurrence once, on both wirings: fires racing to record the same
/// occurrence on one trigger's row (two activations of the trigger in a failover, a repeated fire) — whether they
/// meet in one group-commit transaction or in several — leave exactly one winner, and the row says what it wrote.
/// A fire's job, inserted in the compare-and-set's transaction, exists only for the winner, and only once.
/// </summary>
public abstract class TriggerCompareAndSetTests(TriggerClockHost host)
{
    [Theory]
    [InlineData(2)]
    [InlineData(50)]
    public async Task Fires_racing_to_record_one_occurrence_leave_exactly_one_winner(int racers)
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, _) = await ScheduleAsync(api, process, "raced", "0 0 1 1 *");
        var records = host.Host.Services.GetRequiredService<TriggerRecords>();
        var before = (await records.FindAsync(trigger))!;
        var occurrence = before.LastOccurrence.AddMinutes(1);

        var attempts = Enumerable.Range(0, racers)
            .Select(_ => before with { Runs = before.Runs + 1, LastOccurrence = occurrence, LastRunAt = occurrence, LastJobGuid = Guid.NewGuid() })
            .ToList();
        var won = await Task.WhenAll(attempts.Select(after => Task.Run(() => records.RecordAsync(before, after))));

        var winner = Assert.Single(attempts.Where((_, i) => won[i]));
        var row = (await records.FindAsync(trigger))!;
        Assert.Equal(before.Runs + 1, row.Runs);
        Assert.Equal(winner.LastJobGuid, row.LastJobGuid);
        Assert.Equal(occurrence, row.LastOccurrence);

        // The next occurrence is decided from the row as the winner left it; a racer still holding the old row loses.
        Assert.False(await records.RecordAsync(before, before with { Skipped = before.Skipped + 1, LastOccurrence = occurrence.AddMinutes(1) }));
        Assert.True(await records.RecordAsync(row, row with { Skipped = row.Skipped + 1, LastOccurrence = occurrence.AddMinutes(1) }));
        await DeleteAsync(api, trigger);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(50)]
    public async Task Fires_racing_with_their_jobs_create_only_the_winners_job(int racers)
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api, minVersion: "2.5");
        var (trigger, _) = await ScheduleAsync(api, process, "raced with jobs", "0 0 1 1 *");
        var (records, jobs) = (host.Host.Services.GetRequiredService<TriggerRecords>(), host.Host.Services.GetRequiredService<JobRecords>());
        var before = (await records.FindAsync(trigger))!;
        var occurrence = before.LastOccurrence.AddMinutes(1);
        var draft = await DraftAsync(records, before, occurrence);

        // Each racer names a job of its own: only the one whose compare-and-set is written may insert it.
        var attempts = Enumerable.Range(0, racers)
            .Select(_ => before with { Runs = before.Runs + 1, LastOccurrence = occurrence, LastRunAt = occurrence, LastJobGuid = Guid.NewGuid() })
            .ToList();
        var outcomes = await Task.WhenAll(attempts.Select(after => Task.Run(() =>
            jobs.InsertFiredAsync(TriggerRecords.Record(before, after), JobRecord.New(after.LastJobGuid!.Value, draft, occurrence)))));

        var winner = Assert.Single(attempts.Where((_, i) => outcomes[i].Recorded));
        var inserted = Assert.Single(outcomes, o => o.Inserted is not null).Inserted!;
        Assert.Equal(winner.LastJobGuid, inserted.Guid);
        var row = (await jobs.FindAsync(inserted.Guid))!;
        Assert.Equal(row.ToPending(), inserted);
        Assert.Equal(2.5m, inserted.MinVersionToRun);
        Assert.Equal(occurrence, row.ScheduledAt);
        Assert.Equal(before.Id, row.ScheduleId);
        foreach (var loser in attempts.Where(a => a != winner))
        {
            Assert.False(await records.JobExistsAsync(loser.LastJobGuid!.Value));
        }

        Assert.Equal(winner.LastJobGuid, (await records.FindAsync(trigger))!.LastJobGuid);
        await DeleteAsync(api, trigger);
    }

    [Fact]
    public async Task A_fire_whose_job_exists_already_is_recorded_and_inserts_no_second_job()
    {
        using var api = await host.NewAccountAsync();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var (trigger, id) = await ScheduleAsync(api, process, "repeated", "0 0 1 1 *");
        var (records, jobs) = (host.Host.Services.GetRequiredService<TriggerRecords>(), host.Host.Services.GetRequiredService<JobRecords>());
        var before = (await records.FindAsync(trigger))!;
        var occurrence = before.LastOccurrence.AddMinutes(1);
        var job = TriggerJobs.ForOccurrence(trigger, occurrence);
        var draft = await DraftAsync(records, before, occurrence);

        // The job's row is there (a fire repeated after its job was made): the set is written, the insert does nothing
        // (and fails nothing), and the caller hears that this insert made no row.
        await jobs.InsertAsync(JobRecord.New(job, draft, occurrence));
        var fired = before with { Runs = before.Runs + 1, LastOccurrence = occurrence, LastRunAt = occurrence, LastJobGuid = job };
        var (recorded, inserted) = await jobs.InsertFiredAsync(TriggerRecords.Record(before, fired), JobRecord.New(job, draft, occurrence));

        Assert.True(recorded);
        Assert.Null(inserted);
        Assert.Single(await JobsAsync(api, id));
        await DeleteAsync(api, trigger);
    }

    private static async Task<JobDraft> DraftAsync(TriggerRecords records, TriggerRecord trigger, DateTimeOffset occurrence) => new(
        trigger.AccountId, trigger.Definition.ProcessId, (await records.LatestVersionAsync(trigger.Definition.ProcessId))!.Value,
        null, null, 1, null, null, null, trigger.Id, occurrence);
}

public sealed class EmbeddedTriggerCompareAndSetTests(EmbeddedTriggerClockHost host) : TriggerCompareAndSetTests(host), IClassFixture<EmbeddedTriggerClockHost>;

public sealed class PostgresTriggerCompareAndSetTests(PostgresTriggerClockHost host) : TriggerCompareAndSetTests(host), IClassFixture<PostgresTriggerClockHost>;
