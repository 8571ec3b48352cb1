using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/folders/update.</summary>
public sealed class FolderUpdateRequest : IValidatedRequest
{
    /// <summary>Required: the folder's GUID or numeric id.</summary>
    public string? Guid { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public IResult? Validate() =>
        (Name is null ? null : Validation.Name(Name, nameof(Name))) ?? Validation.Text(Description, nameof(Description));
}
