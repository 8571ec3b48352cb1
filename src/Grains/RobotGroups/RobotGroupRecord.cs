using Orchestrator.Records;

namespace Orchestrator.RobotGroups;

/// <summary>A row of the <c>robot_groups</c> table.</summary>
public sealed record RobotGroupRecord(
    long Id,
    Guid Guid,
    long AccountId,
    string Name,
    string Description,
    DateTimeOffset Created,
    DateTimeOffset Updated) : IAccountRecord;
