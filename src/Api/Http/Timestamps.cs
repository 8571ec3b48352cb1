using System.Globalization;

namespace Orchestrator.Api.Http;

/// <summary>Time inputs (API.md §1): <c>"YYYY-MM-DD HH:MM:SS"</c> UTC, Unix seconds, or ISO 8601.</summary>
public static class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset time)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds is >= -62135596800 and <= 253402300799)
            {
                time = DateTimeOffset.FromUnixTimeSeconds(seconds);
                return true;
            }

            time = default;
            return false;
        }

        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
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
            return Problems.Field(field, "must be a time: \"YYYY-MM-DD HH:MM:SS\" (UTC), Unix seconds or ISO 8601.");
        }

        time = parsed;
        return null;
    }
}
