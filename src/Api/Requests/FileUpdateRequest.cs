using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/files/update, as JSON or multipart/form-data: each field sent changes the file, the others stay.</summary>
public sealed class FileUpdateRequest : IFileRequest
{
    public static string FileField => "file";

    /// <summary>Required: the file's GUID or numeric id.</summary>
    public string? Guid { get; set; }

    public string? Name { get; set; }

    /// <summary>Moves the file into that folder (GUID or numeric id); an empty string moves it to the account's top level.</summary>
    [JsonPropertyName("folder_guid")]
    public string? FolderGuid { get; set; }

    /// <summary>New content, replacing the old.</summary>
    public string? File { get; set; }

    public string? Encoding { get; set; }

    public string? FileText => File;

    public IResult? Validate() =>
        StorageFields.FileName(Name, nameof(Name), required: false) ?? StorageFields.Encoding(Encoding);
}
