using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/folders/create.</summary>
public sealed class FolderCreateRequest : IValidatedRequest
{
    /// <summary>Required; unique among the account's live folders.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    public IResult? Validate() => Validation.Name(Name, nameof(Name)) ?? Validation.Text(Description, nameof(Description));
}
