using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;
using Orchestrator.Queues;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/task/create, and each element of POST /api/task/createBatch.</summary>
public sealed class TaskCreateRequest : IValidatedRequest
{
    /// <summary>Required.</summary>
    public string? Name { get; set; }

    /// <summary>Required: the queue's GUID, numeric id or name.</summary>
    public string? QueueGuid { get; set; }

    public string? Description { get; set; }

    public string? Comment { get; set; }

    public string? Deadline { get; set; }

    /// <summary>How many times a failed task is retried (default 0).</summary>
    public int? Retries { get; set; }

    /// <summary>Any JSON; a JSON string is taken as the parameters' text.</summary>
    public JsonElement? Parameters { get; set; }

    /// <summary>0 low, 1 normal (default), 2 high.</summary>
    public int? Priority { get; set; }

    /// <summary>Not handed out before this time.</summary>
    public string? Postponed { get; set; }

    /// <summary><c>"a;b;"</c>.</summary>
    public string? Tags { get; set; }

    [JsonIgnore]
    public DateTimeOffset? DeadlineTime { get; private set; }

    [JsonIgnore]
    public DateTimeOffset? PostponedTime { get; private set; }

    /// <summary>What is stored of <see cref="Parameters"/>.</summary>
    [JsonIgnore]
    public string? ParametersText { get; private set; }

    public IResult? Validate() => Validate(string.Empty);

    /// <summary>Checks the fields, naming each as <paramref name="prefix"/> + its name (a batch names the element: <c>[3].Name</c>).</summary>
    public IResult? Validate(string prefix)
    {
        var badDeadline = Times.Optional(Deadline, prefix + nameof(Deadline), out var deadline);
        var badPostponed = Times.Optional(Postponed, prefix + nameof(Postponed), out var postponed);
        var invalid = Validation.Name(Name, prefix + nameof(Name))
            ?? Validation.Required(QueueGuid, prefix + nameof(QueueGuid))
            ?? Validation.Text(Description, prefix + nameof(Description))
            ?? Validation.Text(Comment, prefix + nameof(Comment))
            ?? TaskFields.Retries(Retries, prefix + nameof(Retries))
            ?? TaskFields.Priority(Priority, prefix + nameof(Priority))
            ?? TaskFields.Tags(Tags, prefix + nameof(Tags))
            ?? badDeadline
            ?? badPostponed;
        var badParameters = JsonText.Read(Parameters, prefix + nameof(Parameters), out var parameters);
        DeadlineTime = deadline;
        PostponedTime = postponed;
        ParametersText = parameters;
        return invalid ?? badParameters;
    }

    public TaskDraft ToDraft(Guid guid) => new(
        guid,
        Name!.Trim(),
        Description ?? string.Empty,
        Comment ?? string.Empty,
        DeadlineTime,
        PostponedTime,
        Retries ?? 0,
        Priority ?? 1,
        ParametersText,
        TaskRecords.StoredTags(TaskFields.SplitTags(Tags)));
}
