using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>Field checks shared by the endpoint modules; each answers null when the value is fine.</summary>
public static class Validation
{
    public const int MaxNameLength = 256;
    public const int MaxTextLength = 4000;

    /// <summary>A required one-line name: no control characters, at most <see cref="MaxNameLength"/> characters.</summary>
    public static IResult? Name(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Problems.Field(field, "is required.");
        }

        return Line(value, field, MaxNameLength);
    }

    /// <summary>An optional one-line value (a machine name, an address): no control characters.</summary>
    public static IResult? Line(string? value, string field, int maxLength = MaxNameLength)
    {
        if (value is null)
        {
            return null;
        }

        // Spans, not Trim() and LINQ: the heartbeat runs four of these per call.
        var span = value.AsSpan();
        if (span.Trim().Length > maxLength)
        {
            return Problems.Field(field, $"must be at most {maxLength} characters.");
        }

        return span.IndexOfAnyInRange('\u0000', '\u001F') >= 0 || span.IndexOfAnyInRange('\u007F', '\u009F') >= 0
            ? Problems.Field(field, "must not contain control characters.")
            : null;
    }

    /// <summary>An optional free text (a description): line breaks and tabs are fine, other control characters
    /// (NUL among them, which PostgreSQL cannot store) are not.</summary>
    public static IResult? Text(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > MaxTextLength)
        {
            return Problems.Field(field, $"must be at most {MaxTextLength} characters.");
        }

        return value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            ? Problems.Field(field, "must not contain control characters other than line breaks and tabs.")
            : null;
    }

    public static IResult? Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? Problems.Field(field, "is required.") : null;

    /// <summary>A robot status (API.md §2) sent to set one.</summary>
    public static IResult? RobotStatus(int status, string field) =>
        Enum.IsDefined((Robots.RobotStatus)status) ? null : Problems.Field(field, RobotStatusMustBe);

    public const string RobotStatusMustBe = "must be a robot status: 0 Offline, 1 Available, 2 Busy, 3 Unresponsive, 4 Disabled.";

    public static bool TryEnum<T>(string text, out T value)
        where T : struct, Enum
    {
        value = default;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || !Enum.IsDefined(typeof(T), number))
        {
            return false;
        }

        value = (T)Enum.ToObject(typeof(T), number);
        return true;
    }
}
