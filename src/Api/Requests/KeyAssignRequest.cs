namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/key: assigns a key of the caller's choosing.</summary>
public sealed class KeyAssignRequest
{
    /// <summary>Required: the new key, at least 32 characters.</summary>
    public string? Key { get; set; }
}
