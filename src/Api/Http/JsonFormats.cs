using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Api.Http;

/// <summary>The JSON conventions of API.md §1.</summary>
public static class JsonFormats
{
    /// <summary>
    /// Request bodies are read tolerantly, because the vendor document's own examples are: names in any case,
    /// trailing commas, numbers in strings, comments skipped, unknown properties ignored.
    /// </summary>
    public static JsonSerializerOptions Requests { get; } = new()
    {
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new LenientStringConverter() },
    };

    /// <summary>Responses keep the field names exactly as declared, which are the documented ones.</summary>
    public static void ConfigureResponses(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = null;
        options.DictionaryKeyPolicy = null;

        // A client's JSON (a task's Parameters or Result, a job's Parameters) is stored as it came, up to the request's
        // depth, and answered nested inside a view and perhaps a list: the answer may go deeper than any request could.
        options.MaxDepth = 4 * DefaultMaxDepth;
    }

    /// <summary>System.Text.Json's nesting limit, which requests keep.</summary>
    private const int DefaultMaxDepth = 64;

    /// <summary>The <c>"YYYY-MM-DD HH:MM:SS"</c> UTC form used by every resource but robots.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static long UnixSeconds(DateTimeOffset? time) => time?.ToUnixTimeSeconds() ?? 0;
}
