using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/process/update.</summary>
public sealed class ProcessUpdateRequest : IValidatedRequest
{
    /// <summary>Required: the process's GUID or numeric id.</summary>
    public string? Guid { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public decimal? MinVersionToRun { get; set; }

    public int? ProcessType { get; set; }

    public IResult? Validate() =>
        (Name is null ? null : Validation.Name(Name, nameof(Name)))
        ?? Validation.Text(Description, nameof(Description))
        ?? ProcessFields.Validate(MinVersionToRun, ProcessType);
}
