namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/robotGroup/addRobot and DELETE /api/robotGroup/removeRobot.</summary>
public sealed class RobotGroupMembershipRequest
{
    /// <summary>Required: the group's GUID or numeric id.</summary>
    public string? RobotGroupGuid { get; set; }

    /// <summary>Required: the robot's GUID or numeric id.</summary>
    public string? RobotGuid { get; set; }
}
