using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/robot/setStatus (the vendor document spells the field <c>STATUS</c>; names are case-insensitive).</summary>
public sealed class RobotSetStatusRequest : IValidatedRequest
{
    /// <summary>Required: the robot's GUID or numeric id.</summary>
    public string? GUID { get; set; }

    /// <summary>Required: 4 disables the robot; any other defined status re-enables it.</summary>
    public int? Status { get; set; }

    public IResult? Validate() => Status is { } status ? Validation.RobotStatus(status, nameof(Status)) : Problems.Field(nameof(Status), "is required.");
}
