using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/process/create.</summary>
public sealed class ProcessCreateRequest : IValidatedRequest
{
    /// <summary>Required; unique among the account's live processes.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The lowest robot runtime version (heartbeat <c>Version</c>) given this process's jobs, e.g. 1.05.</summary>
    public decimal? MinVersionToRun { get; set; }

    /// <summary>0 Process, 1 Package.</summary>
    public int? ProcessType { get; set; }

    public IResult? Validate() =>
        Validation.Name(Name, nameof(Name))
        ?? Validation.Text(Description, nameof(Description))
        ?? ProcessFields.Validate(MinVersionToRun, ProcessType);
}
