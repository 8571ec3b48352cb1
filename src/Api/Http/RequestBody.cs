using System.Buffers;
using System.IO.Pipelines;
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
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = JsonFormats.Requests.AllowTrailingCommas,
        CommentHandling = JsonFormats.Requests.ReadCommentHandling,
        MaxDepth = JsonFormats.Requests.MaxDepth,
    };

    /// <param name="bodyLimit">The largest body accepted, in bytes; by default <see cref="OrchestratorOptions.MaxJsonBodyBytes"/>.</param>
    public static async Task<Body<T>> ReadAsync<T>(HttpRequest request, long? bodyLimit = null)
        where T : class, new()
    {
        var limit = bodyLimit ?? request.HttpContext.RequestServices.GetRequiredService<IOptions<OrchestratorOptions>>().Value.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            return new(null, Problems.TooLarge(limit));
        }

        // The body is parsed where Kestrel buffered it: no copy, no buffer of our own.
        var reader = request.BodyReader;
        var aborted = request.HttpContext.RequestAborted;
        ReadResult read;
        while (true)
        {
            try
            {
                read = await reader.ReadAsync(aborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // A chunked body past the server's own limit (no Content-Length to refuse it by): the same answer.
                return new(null, Problems.TooLarge(limit));
            }

            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start);
                return new(null, Problems.TooLarge(limit));
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }

            // Not all there yet: look again once more has arrived.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            return ParseSequence<T>(read.Buffer);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>Parses and validates a body already read, with the same rules and answers as <see cref="ReadAsync{T}"/>.</summary>
    public static Body<T> Parse<T>(byte[] json)
        where T : class, new() => ParseSequence<T>(new ReadOnlySequence<byte>(json));

    private static Body<T> ParseSequence<T>(ReadOnlySequence<byte> json)
        where T : class, new()
    {
        // A byte-order mark, as some Windows tools write before UTF-8 text, is not part of the JSON.
        if (json.FirstSpan.StartsWith(Utf8Bom))
        {
            json = json.Slice(Utf8Bom.Length);
        }

        T value;
        try
        {
            if (IsBlank(json))
            {
                value = new T();
            }
            else
            {
                var reader = new Utf8JsonReader(json, ReaderOptions);
                value = JsonSerializer.Deserialize<T>(ref reader, JsonFormats.Requests) ?? new T();

                // This overload stops after the first value. Anything but whitespace and comments after it is
                // malformed: read it the whole-input way, which says where (a rare path, its cost does not matter).
                if (reader.Read())
                {
                    value = JsonSerializer.Deserialize<T>(json.ToArray(), JsonFormats.Requests) ?? new T();
                }
            }
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

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static bool IsBlank(ReadOnlySequence<byte> json)
    {
        foreach (var segment in json)
        {
            if (!segment.Span.Trim(" \t\r\n"u8).IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Turns a JSON path into the field's name: <c>$.Status</c> is <c>Status</c>, <c>$['Robot Guid']</c> is
    /// <c>Robot Guid</c>, and an array's element keeps its index, as a batch names it: <c>$[1].Priority</c> is
    /// <c>[1].Priority</c>.
    /// </summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.StartsWith('$') ? path[1..] : path;
        if (field.StartsWith("['", StringComparison.Ordinal) && field.EndsWith("']", StringComparison.Ordinal) && field.Length >= 4)
        {
            field = field[2..^2];
        }

        return field.Length == 0 ? "body" : field;
    }
}

/// <summary>A request body that was read, or the problem that stopped it.</summary>
public readonly record struct Body<T>(T? Value, IResult? Problem)
    where T : class;
