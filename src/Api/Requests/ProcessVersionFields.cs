using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>The checks process version create and update share.</summary>
internal static class ProcessVersionFields
{
    public const string DefaultFileName = "process.robot";

    public static IResult? Validate(string? fileName, string? encoding)
    {
        if (fileName is not null && (string.IsNullOrWhiteSpace(fileName) || Validation.Line(fileName, "ProcessFileName") is not null
            || fileName.IndexOfAny(['/', '\\']) >= 0))
        {
            return Problems.Field("ProcessFileName", "must be a file name: one line, no path separators, at most 256 characters.");
        }

        return FileEncodings.IsKnown(encoding) ? null : Problems.Field("Encoding", "must be base16, base32 or base64.");
    }

    /// <summary>The name a stored file is downloaded under: the one sent, else the multipart part's (without any path), else the default.</summary>
    public static string FileName(string? sent, FileUpload? upload)
    {
        if (!string.IsNullOrWhiteSpace(sent))
        {
            return sent.Trim();
        }

        var fromPart = upload?.FileName is { } part ? Path.GetFileName(part.Replace('\\', '/')).Trim() : null;
        return string.IsNullOrEmpty(fromPart) || Validation.Line(fromPart, "ProcessFileName") is not null ? DefaultFileName : fromPart;
    }
}
