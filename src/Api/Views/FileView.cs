using Orchestrator.Api.Http;
using Orchestrator.Files;

namespace Orchestrator.Api.Views;

/// <summary>A storage file as /api/files/read and /list answer it: its bytes' size and SHA-256, not the bytes.</summary>
public sealed record FileView(
    long id,
    Guid guid,
    string name,
    long? folder_id,
    Guid? folder_guid,
    long size,
    string sha256,
    string created,
    string updated)
{
    public static FileView From(FileRecord f) => new(
        f.Id, f.Guid, f.Name, f.FolderId, f.FolderGuid, f.File.Size, f.File.Sha256, JsonFormats.Timestamp(f.Created), JsonFormats.Timestamp(f.Updated));
}
