namespace Orchestrator.Api.Requests;

/// <summary>POST /api/robot/create.</summary>
public sealed class RobotCreateRequest
{
    /// <summary>Required; unique among the account's live robots.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }
}
