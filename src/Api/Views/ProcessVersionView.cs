using Orchestrator.Api.Http;
using Orchestrator.Processes;

namespace Orchestrator.Api.Views;

/// <summary>A process version as /api/processVersion/read answers it, with its file's size and SHA-256.</summary>
public sealed record ProcessVersionView(
    long id,
    Guid guid,
    long process_id,
    string name,
    string description,
    string process_file_name,
    string created,
    string updated,
    int is_deleted,
    long account_id,
    long size,
    string sha256)
{
    public static ProcessVersionView From(ProcessVersionInfo v) => new(
        v.Id, v.Guid, v.ProcessId, v.Name, v.Description, v.FileName, JsonFormats.Timestamp(v.Created),
        JsonFormats.Timestamp(v.Updated), 0, v.AccountId, v.File.Size, v.File.Sha256);
}
