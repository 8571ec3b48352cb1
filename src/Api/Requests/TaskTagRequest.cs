using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/task/addTag and DELETE /api/task/removeTag.</summary>
public sealed class TaskTagRequest : IValidatedRequest
{
    /// <summary>Required: the task's GUID or name.</summary>
    public string? TaskGuid { get; set; }

    /// <summary>Required: <c>"a;b;"</c>.</summary>
    public string? TagNames { get; set; }

    public IResult? Validate() =>
        Validation.Required(TaskGuid, nameof(TaskGuid))
        ?? (TaskFields.SplitTags(TagNames).Any() ? TaskFields.Tags(TagNames, nameof(TagNames)) : Problems.Field(nameof(TagNames), "is required: tags separated by ';'."));
}
