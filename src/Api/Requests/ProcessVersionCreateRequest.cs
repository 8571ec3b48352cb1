using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/processVersion/create, as JSON or multipart/form-data.</summary>
public sealed class ProcessVersionCreateRequest : IFileRequest
{
    public static string FileField => "ProcessFile";

    /// <summary>Required.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Required (in JSON; in multipart it is the part): the process file as Base16, Base32 or Base64.</summary>
    public string? ProcessFile { get; set; }

    /// <summary>The file name robots download it under; by default the multipart part's file name, else <c>process.robot</c>.</summary>
    public string? ProcessFileName { get; set; }

    /// <summary>Required: the process's GUID or numeric id.</summary>
    public string? ProcessGuid { get; set; }

    /// <summary>Optional: <c>base16</c>, <c>base32</c> or <c>base64</c>; without it the encoding is detected.</summary>
    public string? Encoding { get; set; }

    public string? FileText => ProcessFile;

    public IResult? Validate() =>
        Validation.Name(Name, nameof(Name))
        ?? Validation.Text(Description, nameof(Description))
        ?? ProcessVersionFields.Validate(ProcessFileName, Encoding)
        ?? Validation.Required(ProcessGuid, nameof(ProcessGuid));
}
