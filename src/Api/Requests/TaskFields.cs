using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>Checks of the task fields that create and update share.</summary>
public static class TaskFields
{
    public const int MaxRetries = 100;

    public static IResult? Retries(int? retries, string field) =>
        retries is < 0 or > MaxRetries ? Problems.Field(field, $"must be between 0 and {MaxRetries}.") : null;

    public static IResult? Priority(int? priority, string field) =>
        priority is < 0 or > 2 ? Problems.Field(field, "must be a priority: 0 low, 1 normal, 2 high.") : null;

    public static IResult? Tags(string? tags, string field) =>
        tags is null ? null : SplitTags(tags).Select(t => Validation.Line(t, field, 64)).FirstOrDefault(p => p is not null);

    public static IEnumerable<string> SplitTags(string? tags) =>
        (tags ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The stored text of a JSON field: a JSON string is taken as the text itself, any other value as its JSON.</summary>
    public static string? Json(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { } json => json.GetRawText(),
    };

    /// <summary>A 413 naming the field when its stored text is over the limit.</summary>
    public static IResult? Payload(string? text, string field, int limit) =>
        text is not null && System.Text.Encoding.UTF8.GetByteCount(text) > limit ? Problems.FieldTooLarge(field, limit) : null;

    /// <summary>PostgreSQL text cannot hold NUL.</summary>
    public static IResult? NoNul(string? text, string field) =>
        text is not null && text.Contains('\0') ? Problems.Field(field, "must not contain NUL characters.") : null;
}
