using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/task/next: a robot takes the next task of a queue.</summary>
public sealed class TaskNextRequest : IValidatedRequest
{
    /// <summary>Required: the queue's GUID, numeric id or name.</summary>
    public string? QueueGuid { get; set; }

    /// <summary>The robot taking the task (GUID or numeric id), recorded on the task.</summary>
    public string? RobotGuid { get; set; }

    /// <summary>The job the task is taken for.</summary>
    public string? JobGuid { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? Job { get; private set; }

    public IResult? Validate()
    {
        if (Validation.Required(QueueGuid, nameof(QueueGuid)) is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrWhiteSpace(JobGuid))
        {
            return null;
        }

        if (!System.Guid.TryParse(JobGuid.Trim(), out var job))
        {
            return Problems.Field(nameof(JobGuid), "must be a GUID.");
        }

        Job = job;
        return null;
    }
}
