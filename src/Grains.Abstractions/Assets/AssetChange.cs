namespace Orchestrator.Assets;

/// <summary>An update of an asset: null leaves a field as it is.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.asset-change")]
public sealed record AssetChange(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] AssetType? Type,
    [property: Id(3)] string? Text,
    [property: Id(4)] string? Password,
    [property: Id(5)] DateTimeOffset? PasswordExpiration,
    [property: Id(6)] bool ClearPasswordExpiration,
    [property: Id(7)] AssetVisibility? RobotType,
    [property: Id(8)] long? RobotId,
    [property: Id(9)] long? RobotGroupId)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"AssetChange {{ Name = {Name}, Type = {Type}, RobotType = {RobotType} }}";
}
