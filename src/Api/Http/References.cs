using System.Globalization;

namespace Orchestrator.Api.Http;

/// <summary>Parses the references a client sends (API.md §1): an entity's GUID or its numeric id.</summary>
public static class References
{
    /// <summary>
    /// Parses a GUID, or a numeric id that <paramref name="findById"/> turns into one. A well-formed id that names
    /// nothing (0 among them: ids start at 1) is a 404, like any other reference to nothing; only a malformed one is a 400.
    /// </summary>
    public static async Task<Resolution<Guid>> ResolveAsync(string? text, string field, string what, Func<long, Task<Guid?>> findById)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Resolution<Guid>.Fail(Problems.Field(field, "is required."));
        }

        text = text.Trim();
        if (Guid.TryParse(text, out var guid))
        {
            return Resolution<Guid>.Found(guid);
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id > 0 && await findById(id) is { } found
                ? Resolution<Guid>.Found(found)
                : Resolution<Guid>.Fail(Problems.NotFound(what));
        }

        return Resolution<Guid>.Fail(Problems.Field(field, "must be a GUID or a numeric id."));
    }
}
