using System.Text.Json.Serialization;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/robotGroup/addRobot and DELETE /api/robotGroup/removeRobot (and the document's DELETE /delete/{guid} form).</summary>
public sealed class RobotGroupMembershipRequest
{
    private string? _robotGuid;

    /// <summary>Required: the group's GUID or numeric id.</summary>
    public string? RobotGroupGuid { get; set; }

    /// <summary>Required: the robot's GUID or numeric id.</summary>
    public string? RobotGuid
    {
        get => _robotGuid;
        set
        {
            _robotGuid = value;
            NamesRobot = true;
        }
    }

    /// <summary>
    /// Whether the body had a <c>RobotGuid</c> at all, even null or blank: such a DELETE /delete/{guid} means
    /// "remove this robot", and a malformed one must be refused, never taken for "delete the group".
    /// </summary>
    [JsonIgnore]
    public bool NamesRobot { get; private set; }
}
