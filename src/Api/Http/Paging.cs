using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>The <c>skip</c>/<c>take</c> query parameters of a list.</summary>
public readonly record struct Paging(int Skip, int? Take)
{
    public static bool TryRead(HttpRequest request, out Paging paging, out IResult? problem)
    {
        paging = default;
        problem = null;
        if (!TryReadCount(request, "skip", out var skip, out problem) || !TryReadCount(request, "take", out var take, out problem))
        {
            return false;
        }

        paging = new Paging(skip ?? 0, take);
        return true;
    }

    /// <summary>Reads an optional non-negative integer query parameter, answering a 400 that names it when malformed.</summary>
    public static bool TryReadCount(HttpRequest request, string name, out int? value, out IResult? problem)
    {
        value = null;
        problem = null;
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = Problems.Field(name, "must be a non-negative integer.");
            return false;
        }

        value = parsed;
        return true;
    }
}
