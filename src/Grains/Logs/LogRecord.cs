namespace Orchestrator.Logs;

/// <summary>A row of the <c>logs</c> table.</summary>
public sealed record LogRecord(
    long Id,
    Guid Guid,
    long AccountId,
    Guid? RobotGuid,
    long? RobotId,
    Guid? JobGuid,
    long? JobId,
    Guid? ProcessVersionGuid,
    long? ProcessVersionId,
    int Level,
    string Message,
    DateTimeOffset Created,
    DateTimeOffset Updated);
