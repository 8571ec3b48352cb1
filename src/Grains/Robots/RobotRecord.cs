using Orchestrator.Records;

namespace Orchestrator.Robots;

/// <summary>A row of the <c>robots</c> table.</summary>
public sealed record RobotRecord(
    long Id,
    Guid Guid,
    long AccountId,
    string Name,
    string Description,
    string Machine,
    string IP,
    string MAC,
    string Version,
    long LicenseExpiration,
    string LicenseString,
    RobotStatus Status,
    bool Disabled,
    DateTimeOffset? LastHeartbeatAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IAccountRecord;
