using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/processVersion/update, as JSON or multipart/form-data.</summary>
public sealed class ProcessVersionUpdateRequest : IFileRequest
{
    public static string FileField => "ProcessFile";

    /// <summary>Required: the version's GUID or numeric id.</summary>
    public string? Guid { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>A new process file, replacing the old one.</summary>
    public string? ProcessFile { get; set; }

    public string? ProcessFileName { get; set; }

    /// <summary>Moves the version to another process of the account.</summary>
    public string? ProcessGuid { get; set; }

    public string? Encoding { get; set; }

    public string? FileText => ProcessFile;

    public IResult? Validate() =>
        (Name is null ? null : Validation.Name(Name, nameof(Name)))
        ?? Validation.Text(Description, nameof(Description))
        ?? ProcessVersionFields.Validate(ProcessFileName, Encoding);
}
