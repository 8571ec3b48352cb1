namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/robotGroup/update.</summary>
public sealed class RobotGroupUpdateRequest
{
    /// <summary>Required: the group's GUID or numeric id.</summary>
    public string? GUID { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }
}
