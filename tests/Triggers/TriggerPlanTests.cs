using Orchestrator.Triggers;

namespace Orchestrator.Tests.Triggers;

/// <summary>When occurrences are: cron fields, time zones and daylight saving as Cronos resolves them, the window, calendars.</summary>
public sealed class TriggerPlanTests
{
    private static TriggerPlan Plan(string cron, string zone = "UTC", DateTimeOffset? start = null, DateTimeOffset? end = null, params DateOnly[] calendar) =>
        new(new TriggerDefinition("t", "", TriggerStatus.Enabled, TriggerProcessingType.Scheduled, cron, zone, TriggerRobotType.AnyRobot, null, null, 1,
            start, end, 0, 1, false, null), calendar.ToHashSet());

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, TimeSpan.Zero);

    [Theory]
    [InlineData("* * * * *", true)]
    [InlineData("*/5 * * * * *", true)]
    [InlineData("  0   9  * * 1-5 ", true)]
    [InlineData("* * * *", false)]
    [InlineData("* * * * * * *", false)]
    [InlineData("60 * * * * *", false)]
    [InlineData("0 25 * * *", false)]
    [InlineData("", false)]
    [InlineData("every day", false)]
    public void A_cron_has_5_fields_or_6_with_seconds_first(string cron, bool valid) =>
        Assert.Equal(valid, TriggerPlan.TryParseCron(cron, out _, out _));

    [Fact]
    public void Nine_in_Berlin_is_eight_UTC_in_winter_and_seven_in_summer()
    {
        var plan = Plan("0 9 * * *", "Europe/Berlin");
        Assert.Equal(Utc(2026, 3, 2, 8), plan.NextAfter(Utc(2026, 3, 2, 0)));
        Assert.Equal(Utc(2026, 7, 1, 7), plan.NextAfter(Utc(2026, 7, 1, 0)));
    }

    [Fact]
    public void An_occurrence_in_the_spring_gap_fires_once_at_the_end_of_the_gap_and_one_in_the_autumn_overlap_fires_once()
    {
        // 2026-03-29 02:30 does not exist in Berlin (02:00 → 03:00): Cronos moves it to 03:00 local, 01:00 UTC.
        var plan = Plan("30 2 * * *", "Europe/Berlin");
        Assert.Equal(Utc(2026, 3, 29, 1), plan.NextAfter(Utc(2026, 3, 28, 12)));
        Assert.Equal(Utc(2026, 3, 30, 0, 30), plan.NextAfter(Utc(2026, 3, 29, 1)));

        // 2026-10-25 02:30 happens twice in Berlin (03:00 → 02:00): it fires at the first, 00:30 UTC, only.
        var first = plan.NextAfter(Utc(2026, 10, 24, 12))!.Value;
        Assert.Equal(Utc(2026, 10, 25, 0, 30), first);
        Assert.Equal(Utc(2026, 10, 26, 1, 30), plan.NextAfter(first));
    }

    [Fact]
    public void Occurrences_fall_between_StartAt_and_EndAt()
    {
        var plan = Plan("0 * * * *", start: Utc(2026, 1, 1, 10), end: Utc(2026, 1, 1, 12));
        Assert.Equal(Utc(2026, 1, 1, 10), plan.NextAfter(Utc(2026, 1, 1, 0)));
        Assert.Equal(Utc(2026, 1, 1, 12), plan.NextAfter(Utc(2026, 1, 1, 11, 30)));
        Assert.Null(plan.NextAfter(Utc(2026, 1, 1, 12)));
        Assert.Equal(Utc(2026, 1, 1, 12), plan.LatestIn(Utc(2025, 1, 1, 0), Utc(2027, 1, 1, 0)));
        Assert.Null(plan.LatestIn(Utc(2025, 1, 1, 0), Utc(2026, 1, 1, 9, 59)));
    }

    [Fact]
    public void Calendar_dates_in_the_triggers_time_zone_are_skipped()
    {
        // 23:30 UTC on the 1st is already the 2nd in Berlin.
        var plan = Plan("30 23 * * *", "UTC", null, null, new DateOnly(2026, 3, 2));
        var berlin = Plan("30 0 * * *", "Europe/Berlin", null, null, new DateOnly(2026, 3, 2));
        Assert.Equal(Utc(2026, 3, 1, 23, 30), plan.NextAfter(Utc(2026, 3, 1, 12)));
        Assert.Equal(Utc(2026, 3, 3, 23, 30), plan.NextAfter(Utc(2026, 3, 1, 23, 30)));
        Assert.Equal(Utc(2026, 3, 2, 23, 30), berlin.NextAfter(Utc(2026, 3, 1, 12)));
        Assert.Equal(Utc(2026, 3, 1, 23, 30), plan.LatestIn(Utc(2026, 2, 1, 0), Utc(2026, 3, 3, 12)));
    }

    [Theory]
    [InlineData("*/7 * * * * *", "UTC")]
    [InlineData("0 */13 * * *", "Europe/Berlin")]
    [InlineData("15 2 * * *", "Europe/Berlin")]
    [InlineData("0 0 29 2 *", "America/New_York")]
    public void LatestIn_is_the_last_of_the_occurrences_one_by_one(string cron, string zone)
    {
        var plan = Plan(cron, zone);
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var after = Utc(2026, 1, 1, 0).AddSeconds(random.Next(0, 400 * 86400));
            var until = after.AddSeconds(random.Next(0, cron.StartsWith("0 0 29") ? 3000 * 86400 : 20 * 86400));
            DateTimeOffset? expected = null;
            for (var t = plan.NextAfter(after); t is { } o && o <= until; t = plan.NextAfter(o))
            {
                expected = o;
            }

            Assert.Equal(expected, plan.LatestIn(after, until));
        }
    }

    [Fact]
    public void A_job_GUID_is_the_same_for_the_same_occurrence_and_differs_for_any_other()
    {
        var trigger = Guid.NewGuid();
        var at = Utc(2026, 3, 1, 8);
        Assert.Equal(TriggerJobs.ForOccurrence(trigger, at), TriggerJobs.ForOccurrence(trigger, at));
        Assert.NotEqual(TriggerJobs.ForOccurrence(trigger, at), TriggerJobs.ForOccurrence(trigger, at.AddSeconds(1)));
        Assert.NotEqual(TriggerJobs.ForOccurrence(trigger, at), TriggerJobs.ForOccurrence(Guid.NewGuid(), at));
        Assert.NotEqual(TriggerJobs.ForRun(trigger, 1), TriggerJobs.ForRun(trigger, 2));
        Assert.Equal(8, TriggerJobs.ForRun(trigger, 1).Version);
    }
}
