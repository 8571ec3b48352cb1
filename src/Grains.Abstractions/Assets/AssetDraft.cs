namespace Orchestrator.Assets;

/// <summary>The fields a new asset is created with; robot and group are numeric ids already checked to be the account's.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.asset-draft")]
public sealed record AssetDraft(
    [property: Id(0)] long AccountId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] AssetType Type,
    [property: Id(4)] string? Text,
    [property: Id(5)] string? Password,
    [property: Id(6)] DateTimeOffset? PasswordExpiration,
    [property: Id(7)] AssetVisibility RobotType,
    [property: Id(8)] long? RobotId,
    [property: Id(9)] long? RobotGroupId)
{
    /// <summary>Never the password: a draft that reaches a log line must not carry it there.</summary>
    public override string ToString() => $"AssetDraft {{ AccountId = {AccountId}, Name = {Name}, Type = {Type}, RobotType = {RobotType} }}";
}
