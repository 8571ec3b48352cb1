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

    /// <summary>A 413 naming the field when its stored text is over the limit.</summary>
    public static IResult? Payload(string? text, string field, int limit) =>
        text is not null && System.Text.Encoding.UTF8.GetByteCount(text) > limit ? Problems.FieldTooLarge(field, limit) : null;
}
