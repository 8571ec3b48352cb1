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
    /// <param name="limit">The largest body accepted, in bytes; by default <see cref="OrchestratorOptions.MaxJsonBodyBytes"/>.</param>
    public static async Task<Body<T>> ReadAsync<T>(HttpRequest request, long? limit = null)
        where T : class, new()
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<OrchestratorOptions>>().Value;
        var max = limit ?? options.MaxJsonBodyBytes;
        if (request.ContentLength > max)
        {
            return new(null, Problems.TooLarge(max));
        }

        var length = request.ContentLength is { } declared and > 0 ? (int)declared : 0;
        using var buffer = new MemoryStream(length);
        var chunk = new byte[Math.Clamp(length, 512, 16 * 1024)];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return new(null, Problems.TooLarge(max));
            }

            buffer.Write(chunk, 0, read);
        }

        return Parse<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Parses and validates a body already read, with the same rules and answers as <see cref="ReadAsync{T}"/>.</summary>
    public static Body<T> Parse<T>(ReadOnlySpan<byte> json)
        where T : class, new()
    {
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
