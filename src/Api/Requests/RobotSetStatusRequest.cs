namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/robot/setStatus (the vendor document spells the field <c>STATUS</c>; names are case-insensitive).</summary>
public sealed class RobotSetStatusRequest
{
    /// <summary>Required: the robot's GUID or numeric id.</summary>
    public string? GUID { get; set; }

    /// <summary>Required: 4 disables the robot; any other defined status re-enables it.</summary>
    public int? Status { get; set; }
}
