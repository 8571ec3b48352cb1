using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Files;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>The checks the storage file calls share.</summary>
internal static class StorageFields
{
    /// <summary>A file's name is what it downloads under: one line, no path separators.</summary>
    public static IResult? FileName(string? name, string field, bool required)
    {
        if (name is null && !required)
        {
            return null;
        }

        if (Validation.Name(name, field) is { } invalid)
        {
            return invalid;
        }

        return name!.IndexOfAny(['/', '\\']) >= 0 ? Problems.Field(field, "must be a file name, without path separators.") : null;
    }

    public static IResult? Encoding(string? encoding) =>
        FileEncodings.IsKnown(encoding) ? null : Problems.Field("Encoding", "must be base16, base32 or base64.");
}
