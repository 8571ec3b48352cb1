using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/robot/update.</summary>
public sealed class RobotUpdateRequest : IValidatedRequest
{
    /// <summary>Required: the robot's GUID or numeric id.</summary>
    public string? GUID { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>4 disables the robot; any other defined status re-enables it.</summary>
    public int? Status { get; set; }

    public IResult? Validate() =>
        (Name is null ? null : Validation.Name(Name, nameof(Name)))
        ?? Validation.Text(Description, nameof(Description))
        ?? (Status is { } status ? Validation.RobotStatus(status, nameof(Status)) : null);
}
