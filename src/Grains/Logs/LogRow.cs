namespace Orchestrator.Logs;

/// <summary>A log line with the ids its references resolved to: what <see cref="LogWriter"/> inserts.</summary>
internal readonly record struct LogRow(LogLine Line, long? RobotId, long? JobId, Guid? ProcessVersionGuid, long? ProcessVersionId);
