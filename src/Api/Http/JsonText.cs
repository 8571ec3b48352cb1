using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>
/// The stored text of a free-form JSON field (a task's or a job's <c>Parameters</c>, a task's <c>Result</c>), checked
/// so that it can be answered again: every later read, list, take and robot command writes it out.
/// </summary>
public static class JsonText
{
    /// <summary>
    /// Reads <paramref name="value"/> into <paramref name="text"/>: null for null or absent, a JSON string as the text
    /// itself, any other value as its JSON. Answers a 400 naming <paramref name="field"/> when a string in it (a property
    /// name included) is not Unicode text: an escaped lone surrogate (<c>"\ud800"</c>) parses, but nothing can write it
    /// out again, so each answer carrying it would fail. A string stored as text may not hold NUL (PostgreSQL's text
    /// cannot); inside JSON a NUL stays escaped.
    /// </summary>
    public static IResult? Read(JsonElement? value, string field, out string? text)
    {
        text = null;
        switch (value)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return null;
            case { ValueKind: JsonValueKind.String } s:
                if (!TryString(s, out text))
                {
                    return NotUnicode(field);
                }

                return text!.Contains('\0') ? Problems.Field(field, "must not contain NUL characters.") : null;
            case { } json:
                text = json.GetRawText();

                // Only an escape can carry a lone surrogate: the body's bytes were valid UTF-8, or it did not parse.
                return text.Contains("\\u", StringComparison.Ordinal) && !Readable(json) ? NotUnicode(field) : null;
        }
    }

    private static IResult NotUnicode(string field) =>
        Problems.Field(field, "must be Unicode text: an escaped surrogate (\\ud800 to \\udfff) must be one of a pair.");

    private static bool Readable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryString(element, out _);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!Readable(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryName(property) || !Readable(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static bool TryName(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryString(JsonElement element, out string? text)
    {
        try
        {
            text = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }
}
