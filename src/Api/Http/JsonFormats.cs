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
    }

    /// <summary>The <c>"YYYY-MM-DD HH:MM:SS"</c> UTC form used by every resource but robots.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static long UnixSeconds(DateTimeOffset? time) => time?.ToUnixTimeSeconds() ?? 0;
}
