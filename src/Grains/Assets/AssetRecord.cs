using Orchestrator.Records;

namespace Orchestrator.Assets;

/// <summary>A row of the <c>assets</c> table. The password is only ever here as <see cref="PasswordCipher"/>.</summary>
public sealed record AssetRecord(
    long Id,
    Guid Guid,
    long AccountId,
    string Name,
    string Description,
    AssetType Type,
    string Text,
    string? PasswordCipher,
    DateTimeOffset? PasswordExpiration,
    AssetVisibility RobotType,
    long? RobotId,
    long? RobotGroupId,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord
{
    /// <summary>The asset as its account reads it, the password decrypted.</summary>
    public AssetInfo ToInfo(SecretCipher cipher, DateTimeOffset now) => new(
        Id, Guid, AccountId, Name, Description, Type, Text,
        PasswordCipher is null ? null : cipher.Decrypt(PasswordCipher, Guid),
        PasswordExpiration,
        IsExpired(now),
        RobotType, RobotId, RobotGroupId, Created, Updated);

    /// <summary>A credential whose password expiration has passed.</summary>
    public bool IsExpired(DateTimeOffset now) => Type == AssetType.Credential && PasswordExpiration is { } expiration && expiration <= now;
}
