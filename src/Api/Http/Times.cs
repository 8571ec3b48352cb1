using System.Globalization;

namespace Orchestrator.Api.Http;

/// <summary>Time inputs (API.md §1): Unix seconds, <c>"YYYY-MM-DD HH:MM:SS"</c> UTC, a date, or ISO 8601.</summary>
public static class Times
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

        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
