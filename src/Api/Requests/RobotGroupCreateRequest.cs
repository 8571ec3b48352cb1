namespace Orchestrator.Api.Requests;

/// <summary>POST /api/robotGroup/create.</summary>
public sealed class RobotGroupCreateRequest
{
    /// <summary>Required; unique among the account's live groups.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }
}
