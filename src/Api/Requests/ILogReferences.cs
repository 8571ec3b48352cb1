namespace Orchestrator.Api.Requests;

/// <summary>The robot, job and process version a log line (or a log list's filter) names: each a GUID or a numeric id.</summary>
public interface ILogReferences
{
    string? RobotGUID { get; }

    string? JobGUID { get; }

    string? ProcessVersionGUID { get; }
}
