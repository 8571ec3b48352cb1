using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// The benchmark drivers' command line: <c>--name value</c> pairs, names compared without their dashes and case.
/// Linked into each driver project under bench/, so they all read their arguments alike.
/// </summary>
internal static class DriverArguments
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            parsed[args[i].TrimStart('-')] = args[i + 1];
        }

        return parsed;
    }

    /// <summary>The number given as <c>--name</c>, or <paramref name="fallback"/> when it is not given.</summary>
    public static T Number<T>(this Dictionary<string, string> options, string name, T fallback)
        where T : IParsable<T> =>
        options.TryGetValue(name, out var text) ? T.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
