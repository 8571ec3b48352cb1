using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;
using Orchestrator.Queues;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/task/update: edits a task, and completes it with Status 2 or 3 and an optional Result.</summary>
public sealed class TaskUpdateRequest : IValidatedRequest
{
    /// <summary>Required: the task's GUID or name.</summary>
    public string? Guid { get; set; }

    public string? Name { get; set; }

    /// <summary>The queue the task is in (a task does not move between queues).</summary>
    public string? QueueGuid { get; set; }

    public string? Description { get; set; }

    public string? Comment { get; set; }

    /// <summary>A time; <c>""</c> removes the task's deadline.</summary>
    public string? Deadline { get; set; }

    public int? Retries { get; set; }

    public JsonElement? Parameters { get; set; }

    public int? Status { get; set; }

    public JsonElement? Result { get; set; }

    public int? Priority { get; set; }

    /// <summary>A time; <c>""</c> removes the postponement, so that the task may be taken at once.</summary>
    public string? Postponed { get; set; }

    /// <summary><c>"a;b;"</c>: the task's tags from now on (addTag and removeTag change some of them).</summary>
    public string? Tags { get; set; }

    [JsonIgnore]
    public TaskChange Change { get; private set; } = new(null, null, null, null, null, null, null, null, null, null);

    public IResult? Validate()
    {
        var badParameters = JsonText.Read(Parameters, nameof(Parameters), out var parameters);
        var badResult = JsonText.Read(Result, nameof(Result), out var result);
        var badDeadline = Times.Optional(Deadline, nameof(Deadline), out var deadline);
        var badPostponed = Times.Optional(Postponed, nameof(Postponed), out var postponed);
        var invalid = Validation.Required(Guid, nameof(Guid))
            ?? (Name is null ? null : Validation.Name(Name, nameof(Name)))
            ?? Validation.Text(Description, nameof(Description))
            ?? Validation.Text(Comment, nameof(Comment))
            ?? TaskFields.Retries(Retries, nameof(Retries))
            ?? TaskFields.Priority(Priority, nameof(Priority))
            ?? TaskFields.Tags(Tags, nameof(Tags))
            ?? (Status is { } s && !Enum.IsDefined((QueueTaskStatus)s)
                ? Problems.Field(nameof(Status), "must be a task status: 0 New, 1 InProgress, 2 Successful, 3 Failed, 4 Abandoned, 5 Retried.")
                : null)
            ?? badDeadline
            ?? badPostponed
            ?? badParameters
            ?? badResult;
        Change = new TaskChange(
            Name?.Trim(), Description, Comment, deadline, Retries, parameters, (QueueTaskStatus?)Status, result, Priority, postponed,
            Tags is null ? null : TaskRecords.StoredTags(TaskFields.SplitTags(Tags)),
            ClearDeadline: Deadline is not null && string.IsNullOrWhiteSpace(Deadline),
            ClearPostponed: Postponed is not null && string.IsNullOrWhiteSpace(Postponed));
        return invalid;
    }
}
