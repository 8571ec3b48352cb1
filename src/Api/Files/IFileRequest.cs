using Orchestrator.Api.Http;

namespace Orchestrator.Api.Files;

/// <summary>
/// A request that may carry a file (API.md §6, §12): as a multipart part named <see cref="FileField"/>, or in
/// the JSON body as a Base16/Base32/Base64 string in that field, optionally with its encoding named.
/// </summary>
public interface IFileRequest : IValidatedRequest
{
    /// <summary>The name of the field that carries the file, as the API documents it (<c>ProcessFile</c>, <c>file</c>).</summary>
    static abstract string FileField { get; }

    /// <summary>
    /// The field that a multipart part's file name fills when the request leaves it out (<c>curl -F file=@report.pdf</c>
    /// names the file <c>report.pdf</c>); null when the part's name is not one of the request's fields.
    /// </summary>
    static virtual string? FieldNamedByPart => null;

    /// <summary>The file as text, when it came in the JSON body.</summary>
    string? FileText { get; }

    /// <summary>The encoding the client named for <see cref="FileText"/>; null to detect it.</summary>
    string? Encoding { get; }
}
