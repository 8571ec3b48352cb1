namespace Orchestrator.Robots;

/// <summary>A robot as callers see it: its record plus the status derived from its live state.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.robot-info")]
public sealed record RobotInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] string Name,
    [property: Id(4)] string Description,
    [property: Id(5)] string Machine,
    [property: Id(6)] string IP,
    [property: Id(7)] string MAC,
    [property: Id(8)] string Version,
    [property: Id(9)] long LicenseExpiration,
    [property: Id(10)] string LicenseString,
    [property: Id(11)] RobotStatus Status,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset UpdatedAt,
    [property: Id(14)] DateTimeOffset? LastHeartbeatAt);
