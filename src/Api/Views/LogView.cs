using Orchestrator.Api.Http;
using Orchestrator.Logs;

namespace Orchestrator.Api.Views;

/// <summary>
/// A log line as /api/log/read and /api/log/list answer it: the documented fields, and the GUIDs the robot sent.
/// <c>robot_id</c> is the robot's numeric id when the GUID names one of the account's robots; <c>job_id</c> the job's
/// when the line names one of the account's jobs, and then <c>process_version_id</c> and <c>process_version_guid</c>
/// are that job's version; otherwise <c>process_version_id</c> is the version's id when the GUID names one of the account's.
/// </summary>
public sealed record LogView(
    long id,
    Guid guid,
    long? robot_id,
    long? process_version_id,
    long? job_id,
    Guid? robot_guid,
    Guid? process_version_guid,
    Guid? job_guid,
    int Level,
    string Message,
    string created_at,
    string updated_at)
{
    public static LogView From(LogRecord l) => new(
        l.Id, l.Guid, l.RobotId, l.ProcessVersionId, l.JobId, l.RobotGuid, l.ProcessVersionGuid, l.JobGuid, l.Level, l.Message,
        JsonFormats.Timestamp(l.Created), JsonFormats.Timestamp(l.Updated));
}
