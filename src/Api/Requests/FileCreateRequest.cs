using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/files/create, as JSON or multipart/form-data.</summary>
public sealed class FileCreateRequest : IFileRequest
{
    public static string FileField => "file";

    public static string? FieldNamedByPart => nameof(Name);

    /// <summary>Required: the file's name, which it is downloaded under (in multipart, the part's file name when left out).</summary>
    public string? Name { get; set; }

    /// <summary>The folder's GUID or numeric id; without it the file is at the account's top level.</summary>
    [JsonPropertyName("folder_guid")]
    public string? FolderGuid { get; set; }

    /// <summary>The content as Base16, Base32 or Base64 (in multipart it is the part); without it the file is empty.</summary>
    public string? File { get; set; }

    /// <summary>Optional: <c>base16</c>, <c>base32</c> or <c>base64</c>; without it the encoding is detected.</summary>
    public string? Encoding { get; set; }

    public string? FileText => File;

    public IResult? Validate() =>
        StorageFields.FileName(Name, nameof(Name), required: true) ?? StorageFields.Encoding(Encoding);
}
