using System.Text.Json;
using Orchestrator.Api.Http;
using Orchestrator.Queues;

namespace Orchestrator.Api.Views;

/// <summary>
/// A task as /api/task/read answers it. <c>job_id</c> is the GUID of the job the task was taken for (null when
/// none); <c>parameters</c> and <c>result</c> are the JSON stored, or the text when it is not JSON.
/// </summary>
public sealed record TaskView(
    long id,
    Guid guid,
    long queue_id,
    string name,
    string description,
    int status,
    Guid? job_id,
    Guid? robot_id,
    int priority,
    string created,
    string? started,
    string? postponed,
    string? deadline,
    string updated,
    string comment,
    int is_deleted,
    long account_id,
    string tags,
    int retries,
    long? parent_task,
    JsonElement? parameters,
    JsonElement? result)
{
    public static TaskView From(TaskRecord t) => new(
        t.Id,
        t.Guid,
        t.QueueId,
        t.Name,
        t.Description,
        (int)t.Status,
        t.JobGuid,
        t.RobotGuid,
        t.Priority,
        JsonFormats.Timestamp(t.Created),
        Time(t.Started),
        Time(t.Postponed),
        Time(t.Deadline),
        JsonFormats.Timestamp(t.Updated),
        t.Comment,
        0,
        t.AccountId,
        t.Tags.Trim(';').Length == 0 ? string.Empty : t.Tags.TrimStart(';'),
        t.Retries,
        t.ParentTask,
        Json(t.Parameters),
        Json(t.Result));

    private static string? Time(DateTimeOffset? time) => time is { } t ? JsonFormats.Timestamp(t) : null;

    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
