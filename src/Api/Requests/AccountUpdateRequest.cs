namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/account/update: any create field, all optional but <see cref="Guid"/>.</summary>
public sealed class AccountUpdateRequest : AccountCreateRequest
{
    /// <summary>Required: the account's GUID or numeric id.</summary>
    public string? Guid { get; set; }
}
