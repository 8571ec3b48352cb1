namespace Orchestrator.Assets;

/// <summary>An asset as its account reads it: the password decrypted, and whether it has expired.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.asset-info")]
public sealed record AssetInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] string Name,
    [property: Id(4)] string Description,
    [property: Id(5)] AssetType Type,
    [property: Id(6)] string Text,
    [property: Id(7)] string? Password,
    [property: Id(8)] DateTimeOffset? PasswordExpiration,
    [property: Id(9)] bool Expired,
    [property: Id(10)] AssetVisibility RobotType,
    [property: Id(11)] long? RobotId,
    [property: Id(12)] long? RobotGroupId,
    [property: Id(13)] DateTimeOffset Created,
    [property: Id(14)] DateTimeOffset Updated)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"AssetInfo {{ Id = {Id}, Guid = {Guid}, Name = {Name}, Type = {Type} }}";
}
