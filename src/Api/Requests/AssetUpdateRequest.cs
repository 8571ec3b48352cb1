using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/asset/update: the asset's reference and any field of create.</summary>
public sealed class AssetUpdateRequest : AssetCreateRequest
{
    /// <summary>Required: the asset's GUID or numeric id.</summary>
    public string? Guid { get; set; }

    public override IResult? Validate() =>
        (Name is null ? null : Validation.Name(Name, nameof(Name))) ?? Fields(typeRequired: false);
}
