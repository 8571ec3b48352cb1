using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Http;
using Orchestrator.Queues;

namespace Orchestrator.Api.Views;

/// <summary>
/// A task answered as <see cref="TaskView"/> is, byte for byte, but written straight from its row: a robot's take
/// answers one after every take, and the view, its cloned JSON elements and the serializer's general path cost
/// more than the writing itself.
/// </summary>
public sealed class TaskAnswer(TaskRecord task) : IResult
{
    private const string ContentType = "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = ContentType;
        var options = new JsonWriterOptions { Encoder = EncoderOf(httpContext), SkipValidation = true };
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, options))
        {
            Write(writer, task);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>Writes <paramref name="t"/> with <see cref="TaskView"/>'s fields, in its order, with its values.</summary>
    public static void Write(Utf8JsonWriter writer, TaskRecord t)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id"u8, t.Id);
        writer.WriteString("guid"u8, t.Guid);
        writer.WriteNumber("queue_id"u8, t.QueueId);
        writer.WriteString("name"u8, t.Name);
        writer.WriteString("description"u8, t.Description);
        writer.WriteNumber("status"u8, (int)t.Status);
        WriteGuid(writer, "job_id"u8, t.JobGuid);
        WriteGuid(writer, "robot_id"u8, t.RobotGuid);
        writer.WriteNumber("priority"u8, t.Priority);
        writer.WriteString("created"u8, JsonFormats.Timestamp(t.Created));
        WriteTime(writer, "started"u8, t.Started);
        WriteTime(writer, "postponed"u8, t.Postponed);
        WriteTime(writer, "deadline"u8, t.Deadline);
        writer.WriteString("updated"u8, JsonFormats.Timestamp(t.Updated));
        writer.WriteString("comment"u8, t.Comment);
        writer.WriteNumber("is_deleted"u8, 0);
        writer.WriteNumber("account_id"u8, t.AccountId);
        writer.WriteString("tags"u8, t.Tags.Trim(';').Length == 0 ? string.Empty : t.Tags.TrimStart(';'));
        writer.WriteNumber("retries"u8, t.Retries);
        if (t.ParentTask is { } parent)
        {
            writer.WriteNumber("parent_task"u8, parent);
        }
        else
        {
            writer.WriteNull("parent_task"u8);
        }

        WriteStoredJson(writer, "parameters"u8, t.Parameters);
        WriteStoredJson(writer, "result"u8, t.Result);
        writer.WriteEndObject();
    }

    private static JavaScriptEncoder? EncoderOf(HttpContext httpContext) =>
        httpContext.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions.Encoder;

    private static void WriteGuid(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Guid? value)
    {
        if (value is { } guid)
        {
            writer.WriteString(name, guid);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, JsonFormats.Timestamp(time));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The stored JSON as the view writes its element (re-written, not copied raw), or the text as a string when it is not JSON.</summary>
    private static void WriteStoredJson(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? text)
    {
        if (text is null)
        {
            writer.WriteNull(name);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            writer.WriteString(name, text);
            return;
        }

        using (document)
        {
            writer.WritePropertyName(name);
            document.RootElement.WriteTo(writer);
        }
    }
}
