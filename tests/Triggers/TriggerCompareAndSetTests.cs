using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Triggers;
using static Orchestrator.Tests.Infrastructure.TriggerScenario;

namespace Orchestrator.Tests.Triggers;

/// <summary>
/// The compare-and-set that decides each occurrence once, on both wirings: fires racing to record the same
/// occurrence on one trigger's row (two activations of the trigger in a failover, a repeated fire) — whether they
/// meet in one group-commit transaction or in several — leave exactly one winner, and the row says what it wrote.
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
}

public sealed class EmbeddedTriggerCompareAndSetTests(EmbeddedTriggerClockHost host) : TriggerCompareAndSetTests(host), IClassFixture<EmbeddedTriggerClockHost>;

public sealed class PostgresTriggerCompareAndSetTests(PostgresTriggerClockHost host) : TriggerCompareAndSetTests(host), IClassFixture<PostgresTriggerClockHost>;
