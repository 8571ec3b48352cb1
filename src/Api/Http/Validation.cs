using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>Field checks shared by the endpoint modules; each answers null when the value is fine.</summary>
public static class Validation
{
    public const int MaxNameLength = 256;
    public const int MaxTextLength = 4000;

    public static IResult? Name(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Problems.Field(field, "is required.");
        }

        return value.Trim().Length > MaxNameLength ? Problems.Field(field, $"must be at most {MaxNameLength} characters.") : null;
    }

    public static IResult? Text(string? value, string field) =>
        value is { Length: > MaxTextLength } ? Problems.Field(field, $"must be at most {MaxTextLength} characters.") : null;

    public static IResult? Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? Problems.Field(field, "is required.") : null;

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
