using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>The knobs of a benchmark run, from <c>--name value</c> arguments.</summary>
public sealed record BenchSettings(int Robots, int Concurrency, double Seconds, int Rounds)
{
    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new BenchSettings(
            Read(values, "robots", 1000),
            Read(values, "concurrency", 32),
            Read(values, "seconds", 5.0),
            Read(values, "rounds", 5));
    }

    private static T Read<T>(Dictionary<string, string> values, string name, T fallback)
        where T : IParsable<T> =>
        values.TryGetValue(name, out var text) ? T.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
