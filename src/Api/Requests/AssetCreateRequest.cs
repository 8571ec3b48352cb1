using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;
using Orchestrator.Assets;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/asset/create; also the fields of PUT /api/asset/update.</summary>
public class AssetCreateRequest : IValidatedRequest
{
    /// <summary>An asset's text: a login, a text value, or a calendar's JSON array of dates.</summary>
    public const int MaxAssetTextLength = 65_536;

    /// <summary>Required on create; unique among the account's live assets.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Required on create: 1 Credential, 2 Text, 3 Calendar.</summary>
    public int? Type { get; set; }

    public string? Text { get; set; }

    /// <summary>A credential's password; stored encrypted, never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Unix seconds or a time; 0 (or an empty string) clears it.</summary>
    public string? PasswordExpiration { get; set; }

    /// <summary>3 all robots (the default), 2 one group (RobotGroupId), 1 one robot (RobotId).</summary>
    public int? RobotType { get; set; }

    /// <summary>The robot's GUID or numeric id.</summary>
    public string? RobotId { get; set; }

    /// <summary>The robot group's GUID or numeric id.</summary>
    public string? RobotGroupId { get; set; }

    [JsonIgnore]
    public DateTimeOffset? Expiration { get; private set; }

    [JsonIgnore]
    public bool ClearsExpiration { get; private set; }

    public virtual IResult? Validate() =>
        Validation.Name(Name, nameof(Name)) ?? Fields(typeRequired: true);

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{GetType().Name} {{ Name = {Name}, Type = {Type} }}";

    protected IResult? Fields(bool typeRequired)
    {
        if (Type is null && typeRequired)
        {
            return Problems.Field(nameof(Type), "is required: 1 Credential, 2 Text, 3 Calendar.");
        }

        if (Type is { } type && !Enum.IsDefined((AssetType)type))
        {
            return Problems.Field(nameof(Type), "must be an asset type: 1 Credential, 2 Text, 3 Calendar.");
        }

        if (RobotType is { } robotType && !Enum.IsDefined((AssetVisibility)robotType))
        {
            return Problems.Field(nameof(RobotType), "must be 3 (all robots), 2 (one robot group, RobotGroupId) or 1 (one robot, RobotId).");
        }

        if (Text is not null && Text.Length > MaxAssetTextLength)
        {
            return Problems.Field(nameof(Text), $"must be at most {MaxAssetTextLength} characters.");
        }

        if (Text is not null && Text.Contains('\0'))
        {
            return Problems.Field(nameof(Text), "must not contain NUL characters.");
        }

        if (Password is not null && (Password.Length > Validation.MaxTextLength || Password.Contains('\0')))
        {
            return Problems.Field(nameof(Password), $"must be at most {Validation.MaxTextLength} characters, without NUL characters.");
        }

        if (PasswordExpiration is not null)
        {
            if (PasswordExpiration.Trim() is "" or "0")
            {
                ClearsExpiration = true;
            }
            else if (Times.TryParse(PasswordExpiration, out var expiration))
            {
                Expiration = expiration;
            }
            else
            {
                return Problems.Field(nameof(PasswordExpiration), Times.MustBe);
            }
        }

        return Validation.Text(Description, nameof(Description));
    }
}
