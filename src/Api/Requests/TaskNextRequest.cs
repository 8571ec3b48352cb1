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

    /// <summary>The job the task is taken for (GUID or numeric id).</summary>
    public string? JobGuid { get; set; }

    /// <summary>The job's GUID: as sent, or once its numeric id (<see cref="JobId"/>) is looked up.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? Job { get; set; }

    /// <summary>The job's numeric id, when it was sent as one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long? JobId { get; private set; }

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

        if (!References.TryParse(JobGuid, nameof(JobGuid), out var job, out var id, out var problem))
        {
            return problem;
        }

        Job = job == System.Guid.Empty ? null : job;
        JobId = job == System.Guid.Empty ? id : null;
        return null;
    }
}
