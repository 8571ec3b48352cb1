namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/robot/update.</summary>
public sealed class RobotUpdateRequest
{
    /// <summary>Required: the robot's GUID or numeric id.</summary>
    public string? GUID { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>4 disables the robot; any other defined status re-enables it.</summary>
    public int? Status { get; set; }
}
