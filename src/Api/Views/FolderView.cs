using Orchestrator.Api.Http;
using Orchestrator.Files;

namespace Orchestrator.Api.Views;

/// <summary>A folder as /api/folders/read and /list answer it.</summary>
public sealed record FolderView(
    long id,
    Guid guid,
    string name,
    string description,
    string created,
    string updated,
    int is_deleted,
    long account_id)
{
    public static FolderView From(FolderRecord f) => new(
        f.Id, f.Guid, f.Name, f.Description, JsonFormats.Timestamp(f.Created), JsonFormats.Timestamp(f.Updated), 0, f.AccountId);
}
