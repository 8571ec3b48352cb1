using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Hosting;

namespace Orchestrator.Api.Http;

/// <summary>
/// Reads a JSON request body with the tolerant rules of <see cref="JsonFormats.Requests"/>. A body that
/// cannot be read, or whose fields are invalid (<see cref="IValidatedRequest"/>), becomes a 4xx problem naming
/// the offending field (or <c>body</c>), never an exception.
/// </summary>
public static class RequestBody
{
    public static async Task<Body<T>> ReadAsync<T>(HttpRequest request)
        where T : class, new()
    {
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<OrchestratorOptions>>().Value.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            return new(null, Problems.TooLarge(limit));
        }

        var length = request.ContentLength is { } declared and > 0 ? (int)declared : 0;
        using var buffer = new MemoryStream(length);
        var chunk = new byte[Math.Clamp(length, 512, 16 * 1024)];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return new(null, Problems.TooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        T value;
        try
        {
            value = json.Trim(" \t\r\n"u8).IsEmpty ? new T() : JsonSerializer.Deserialize<T>(json, JsonFormats.Requests) ?? new T();
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            var detail = field == "body"
                ? $"is not a valid JSON object (line {e.LineNumber + 1}, position {e.BytePositionInLine})."
                : "has a value of the wrong type or format.";
            return new(null, Problems.Field(field, detail));
        }

        return value is IValidatedRequest validated && validated.Validate() is { } invalid ? new(null, invalid) : new(value, null);
    }

    /// <summary>Turns a JSON path such as <c>$.Status</c> or <c>$['Robot Guid']</c> into the field's name.</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        field = field.Trim('[', ']', '\'');
        return field.Length == 0 ? "body" : field;
    }
}

/// <summary>A request body that was read, or the problem that stopped it.</summary>
public readonly record struct Body<T>(T? Value, IResult? Problem)
    where T : class;
