using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Api.Http;

/// <summary>
/// Time inputs (API.md §1): Unix seconds, <c>"YYYY-MM-DD HH:MM:SS"</c> UTC (or to the minute, or a date), or ISO 8601;
/// read to the millisecond, as times are stored.
/// </summary>
public static partial class Times
{
    public const string MustBe = "must be Unix seconds, \"YYYY-MM-DD HH:MM:SS\" (UTC) or an ISO 8601 time.";

    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds < -62_135_596_800 || seconds > 253_402_300_799)
            {
                return false;
            }

            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        // ISO 8601 only, not whatever the invariant culture reads: "12.03.2026" would be the 3rd of December there, a
        // month early for a client that meant the 12th of March (and a purge of logs by it, lost lines).
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
            || Iso8601().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
            return true;
        }

        return false;
    }

    /// <summary>Parses an optional time field into <paramref name="time"/>, or answers the 400 naming it.</summary>
    public static Microsoft.AspNetCore.Http.IResult? Optional(string? text, string field, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!TryParse(text, out var parsed))
        {
            return Problems.Field(field, MustBe);
        }

        time = parsed;
        return null;
    }

    /// <summary>A date, <c>T</c> (or a space), a time to the minute or finer, and an optional offset or <c>Z</c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d{1,7})?)?\s?([Zz]|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
