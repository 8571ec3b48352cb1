namespace Orchestrator.Api.Http;

/// <summary>A name sent in a path segment (a queue's, a task's, an asset's).</summary>
public static class PathSegment
{
    /// <summary>
    /// The segment's text. The server decodes a path before routing it, all but <c>%2F</c>, which it leaves encoded
    /// so that it does not split the path: a name with a <c>/</c> in it arrives as <c>a%2Fb</c> and is <c>a/b</c>.
    /// Decoding the rest again would take a <c>%25</c> the client escaped for a second time.
    /// </summary>
    public static string Decode(string segment) =>
        segment.Contains('%', StringComparison.Ordinal) ? segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : segment;
}
