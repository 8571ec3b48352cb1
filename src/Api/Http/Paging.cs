using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>The <c>skip</c>/<c>take</c> query parameters of a list.</summary>
public readonly record struct Paging(int Skip, int? Take)
{
    /// <summary>The page of a list that grows without bound (jobs, triggers, tasks, logs) when <c>take</c> is not given.</summary>
    public const int DefaultPage = 100;

    /// <summary>The largest page such a list answers.</summary>
    public const int MaxPage = 1000;

    /// <summary>Reads <c>skip</c> and <c>take</c>; a missing <c>take</c> stays null (the whole list).</summary>
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

    /// <summary>
    /// Reads <c>skip</c> and <c>take</c> of a list that grows without bound: <c>take</c> defaults to
    /// <see cref="DefaultPage"/>, and above <see cref="MaxPage"/> is a 400 naming it.
    /// </summary>
    public static bool TryReadPage(HttpRequest request, out int skip, out int take, out IResult? problem)
    {
        skip = 0;
        take = DefaultPage;
        if (!TryRead(request, out var paging, out problem))
        {
            return false;
        }

        if (paging.Take is > MaxPage)
        {
            problem = Problems.Field("take", $"must be at most {MaxPage}.");
            return false;
        }

        skip = paging.Skip;
        take = paging.Take ?? DefaultPage;
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
