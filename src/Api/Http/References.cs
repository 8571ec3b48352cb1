using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>Parses the references a client sends (API.md §1): an entity's GUID or its numeric id.</summary>
public static class References
{
    /// <summary>
    /// Parses a GUID, or a numeric id that <paramref name="findById"/> turns into one. A well-formed id that names
    /// nothing (0 among them: ids start at 1) is a 404, like any other reference to nothing; only a malformed one is a 400.
    /// </summary>
    public static ValueTask<Resolution<Guid>> ResolveAsync(string? text, string field, string what, Func<long, Task<Guid?>> findById) =>
        ResolveAsync(text, field, what, findById, static (find, id) => find(id));

    /// <summary>
    /// As <see cref="ResolveAsync(string?, string, string, Func{long, Task{Guid?}})"/>, with the look-up's state passed
    /// in rather than captured, so that a GUID — what robots send on every call — resolves without allocating.
    /// </summary>
    public static ValueTask<Resolution<Guid>> ResolveAsync<TState>(
        string? text, string field, string what, TState state, Func<TState, long, Task<Guid?>> findById)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(Resolution<Guid>.Fail(Problems.Field(field, "is required.")));
        }

        var trimmed = text.AsSpan().Trim();
        if (Guid.TryParse(trimmed, out var guid))
        {
            return new(Resolution<Guid>.Found(guid));
        }

        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id > 0 ? FindAsync(id, what, state, findById) : new(Resolution<Guid>.Fail(Problems.NotFound(what)));
        }

        return new(Resolution<Guid>.Fail(Problems.Field(field, "must be a GUID or a numeric id.")));
    }

    /// <summary>
    /// Parses a reference without looking it up: a GUID (<paramref name="id"/> 0), or a numeric id (<paramref name="guid"/>
    /// empty; 0 for an id that cannot name anything). False, with the 400 naming the field, when it is neither.
    /// </summary>
    public static bool TryParse(string? text, string field, out Guid guid, out long id, out IResult? problem)
    {
        guid = Guid.Empty;
        id = 0;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = Problems.Field(field, "is required.");
            return false;
        }

        var trimmed = text.AsSpan().Trim();
        if (Guid.TryParse(trimmed, out guid) || long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            return true;
        }

        problem = Problems.Field(field, "must be a GUID or a numeric id.");
        return false;
    }

    private static async ValueTask<Resolution<Guid>> FindAsync<TState>(long id, string what, TState state, Func<TState, long, Task<Guid?>> findById) =>
        await findById(state, id) is { } found
            ? Resolution<Guid>.Found(found)
            : Resolution<Guid>.Fail(Problems.NotFound(what));
}
