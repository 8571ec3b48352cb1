namespace Orchestrator.Api.Requests;

/// <summary>POST /api/account/create (administrators only).</summary>
public class AccountCreateRequest
{
    /// <summary>Required; unique among live accounts.</summary>
    public string? Login { get; set; }

    /// <summary>Required; stored only as a PBKDF2 hash.</summary>
    public string? Password { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Company { get; set; }

    public string? Department { get; set; }
}
