using Cronos;

namespace Orchestrator.Triggers;

/// <summary>
/// When a trigger's occurrences are: its cron in its time zone (Cronos resolves daylight-saving gaps and overlaps),
/// inside StartAt..EndAt, on no date of its calendar. Pure: the grain asks it, and so does the API's validation.
/// </summary>
public sealed class TriggerPlan
{
    // A calendar skips whole days; this many skipped days in a row ends a search (a calendar of every day forever).
    private const int MaxCalendarSteps = 4000;

    private readonly CronExpression? _cron;
    private readonly TimeZoneInfo _zone;
    private readonly DateTimeOffset? _startAt;
    private readonly DateTimeOffset? _endAt;
    private readonly IReadOnlySet<DateOnly> _calendar;

    public TriggerPlan(TriggerDefinition definition, IReadOnlySet<DateOnly>? calendar = null)
    {
        _cron = definition.CronTab is { } text && TryParseCron(text, out var cron, out _) ? cron : null;
        _zone = TryFindZone(definition.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
        _startAt = definition.StartAt;
        _endAt = definition.EndAt;
        _calendar = calendar ?? new HashSet<DateOnly>();
    }

    /// <summary>Parses a cron of 5 fields (minute precision) or 6 (the first is seconds).</summary>
    public static bool TryParseCron(string text, out CronExpression? cron, out string? error)
    {
        cron = null;
        error = null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length is not (5 or 6))
        {
            error = "must have 5 fields (minute hour day month weekday) or 6 (seconds first).";
            return false;
        }

        try
        {
            cron = CronExpression.Parse(string.Join(' ', fields), fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"is not a valid cron expression: {e.Message}";
            return false;
        }
    }

    /// <summary>Finds an IANA time zone ("Europe/Berlin", "UTC").</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>True when the day <paramref name="time"/> falls on, in the trigger's time zone, is a calendar date.</summary>
    public bool IsCalendarDay(DateTimeOffset time) =>
        _calendar.Count > 0 && _calendar.Contains(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, _zone).DateTime));

    /// <summary>True when <paramref name="time"/> is inside StartAt..EndAt.</summary>
    public bool IsInWindow(DateTimeOffset time) => (_startAt is null || time >= _startAt) && (_endAt is null || time <= _endAt);

    /// <summary>The first occurrence after <paramref name="after"/>, or null when there is none (cron exhausted, past EndAt).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        if (_cron is null)
        {
            return null;
        }

        if (_startAt is { } start && after < start)
        {
            after = start.AddMilliseconds(-1);
        }

        for (var step = 0; step < MaxCalendarSteps; step++)
        {
            var next = _cron.GetNextOccurrence(after, _zone);
            if (next is not { } occurrence || _endAt is { } end && occurrence > end)
            {
                return null;
            }

            if (!IsCalendarDay(occurrence))
            {
                return occurrence;
            }

            after = StartOfNextDay(occurrence).AddMilliseconds(-1);
        }

        return null;
    }

    /// <summary>How many occurrences there are in (<paramref name="after"/>, <paramref name="until"/>], counting at most <paramref name="max"/>.</summary>
    public long CountIn(DateTimeOffset after, DateTimeOffset until, long max)
    {
        long count = 0;
        while (count < max && NextAfter(after) is { } next && next <= until)
        {
            count++;
            after = next;
        }

        return count;
    }

    /// <summary>The latest occurrence in (<paramref name="after"/>, <paramref name="until"/>], or null when there is none.</summary>
    public DateTimeOffset? LatestIn(DateTimeOffset after, DateTimeOffset until)
    {
        if (_cron is null)
        {
            return null;
        }

        if (_startAt is { } start && after < start)
        {
            after = start.AddMilliseconds(-1);
        }

        if (_endAt is { } end && until > end)
        {
            until = end;
        }

        for (var step = 0; step < MaxCalendarSteps && after < until; step++)
        {
            if (_cron.GetNextOccurrence(after, _zone) is not { } first || first > until)
            {
                return null;
            }

            // The first occurrence after t only grows with t: search for the last t whose next occurrence is still in range.
            long low = after.ToUnixTimeMilliseconds(), high = until.ToUnixTimeMilliseconds();
            while (high - low > 1)
            {
                var middle = low + ((high - low) / 2);
                if (_cron.GetNextOccurrence(DateTimeOffset.FromUnixTimeMilliseconds(middle), _zone) is { } next && next <= until)
                {
                    low = middle;
                }
                else
                {
                    high = middle;
                }
            }

            var latest = _cron.GetNextOccurrence(DateTimeOffset.FromUnixTimeMilliseconds(low), _zone)!.Value;
            if (!IsCalendarDay(latest))
            {
                return latest;
            }

            until = StartOfDay(latest).AddMilliseconds(-1);
        }

        return null;
    }

    private DateTimeOffset StartOfDay(DateTimeOffset time) => LocalMidnight(TimeZoneInfo.ConvertTime(time, _zone).Date);

    /// <summary>The instant the day after the one <paramref name="time"/> falls on begins, in the trigger's time zone.</summary>
    public DateTimeOffset StartOfNextDay(DateTimeOffset time) => LocalMidnight(TimeZoneInfo.ConvertTime(time, _zone).Date.AddDays(1));

    /// <summary>The instant a local day begins; where midnight falls in a daylight-saving gap, the first valid time after it.</summary>
    private DateTimeOffset LocalMidnight(DateTime date)
    {
        var local = DateTime.SpecifyKind(date, DateTimeKind.Unspecified);
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }
}
