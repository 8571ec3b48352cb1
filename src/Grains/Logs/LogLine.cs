namespace Orchestrator.Logs;

/// <summary>
/// One log line as a robot sent it, stamped on arrival. Robot, job and process version are kept as the GUIDs sent
/// (the robot's numeric id is looked up as the line is written, where the robot is the account's).
/// </summary>
public sealed record LogLine(
    Guid Guid,
    long AccountId,
    Guid? RobotGuid,
    Guid? JobGuid,
    Guid? ProcessVersionGuid,
    int Level,
    string Message,
    DateTimeOffset Created);
