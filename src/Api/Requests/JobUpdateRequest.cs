using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;
using Orchestrator.Jobs;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/job/update: an operator's command (Cancelled, Stopping, Aborting) or the robot's report.</summary>
public sealed class JobUpdateRequest : IValidatedRequest
{
    /// <summary>Required: the job's GUID or numeric id.</summary>
    public string? Guid { get; set; }

    /// <summary>The status to move to (API.md §2); without it, the update sets the live job's <see cref="Message"/> alone.</summary>
    public int? Status { get; set; }

    public string? Message { get; set; }

    /// <summary>The reporting robot's GUID or id. Sent, a report from a robot that does not hold the job is a 409.</summary>
    public string? RobotGuid { get; set; }

    public IResult? Validate()
    {
        if (Status is not { } status)
        {
            return Message is null ? Problems.Field(nameof(Status), "is required (or a Message alone).") : Validation.Text(Message, nameof(Message));
        }

        return !Enum.IsDefined((JobStatus)status)
            ? Problems.Field(nameof(Status), "must be a job status: 0 Pending, 1 Running, 2 Successful, 3 Failed, 4 Stopping, 5 Stopped, 6 Aborting, 7 Aborted, 8 Cancelled.")
            : Validation.Text(Message, nameof(Message));
    }
}
