using Orchestrator.Api.Http;
using Orchestrator.Processes;

namespace Orchestrator.Api.Views;

/// <summary>A process as /api/process/read answers it; <c>process_version_*</c> name its latest version.</summary>
public sealed record ProcessView(
    long id,
    Guid guid,
    string name,
    string description,
    long? process_version_id,
    decimal? min_version_to_run,
    string created,
    string updated,
    int is_deleted,
    long account_id,
    int process_type,
    Guid? process_version_guid)
{
    public static ProcessView From(ProcessInfo p) => new(
        p.Id, p.Guid, p.Name, p.Description, p.LatestVersionId, p.MinVersionToRun, JsonFormats.Timestamp(p.Created),
        JsonFormats.Timestamp(p.Updated), 0, p.AccountId, (int)p.ProcessType, p.LatestVersionGuid);
}
