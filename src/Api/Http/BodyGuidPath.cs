using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>
/// API.md §1: where a path has <c>{guid}</c>, the same value may come in the body as <c>Guid</c> instead, as the vendor
/// document's own examples send it (<c>GET /api/process/read</c> with <c>{"Guid": "…"}</c>). A request for
/// <c>/api/{resource}/{read|delete|getStatus|download}</c> with no segment after it gets the body's Guid as that
/// segment before it is routed. Without one it is routed as it came (<c>GET /api/robot/read</c> is the robot list).
/// Every other request passes untouched, after one look at its path.
/// </summary>
public static class BodyGuidPath
{
    /// <summary>A read or delete body holds a reference, not a payload: no more of it is read than this.</summary>
    private const int MaxBody = 16 * 1024;

    /// <summary>The middleware: a request that is not a bare action goes straight on, with no allocation of its own.</summary>
    public static RequestDelegate Middleware(RequestDelegate next) =>
        http => IsBareAction(http.Request.Path.Value) ? RewriteAsync(http, next) : next(http);

    private static async Task RewriteAsync(HttpContext http, RequestDelegate next)
    {
        if (await ReadGuidAsync(http.Request) is { } guid)
        {
            // The path holds decoded text, as the server decoded it; a '/' stays encoded, as the server leaves it (PathSegment).
            http.Request.Path = http.Request.Path.Add("/" + guid.Replace("/", "%2F", StringComparison.Ordinal));
        }

        await next(http);
    }

    /// <summary><c>/api/{resource}/{action}</c>, exactly three segments, the last one an action that takes a GUID.</summary>
    private static bool IsBareAction(string? path)
    {
        if (path is null || !path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path.AsSpan(5).TrimEnd('/');
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].IndexOf('/') >= 0)
        {
            return false;
        }

        var action = rest[(slash + 1)..];
        return action is "read" or "delete" or "getStatus" or "download";
    }

    private static async Task<string?> ReadGuidAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 or > MaxBody || request.ContentLength is null && request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        request.EnableBuffering(MaxBody);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        if (buffer.Length is 0 or > MaxBody)
        {
            return null;
        }

        try
        {
            using var body = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in body.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "Guid", StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind switch
                    {
                        JsonValueKind.String when !string.IsNullOrWhiteSpace(property.Value.GetString()) => property.Value.GetString()!.Trim(),
                        JsonValueKind.Number => property.Value.GetRawText(),
                        _ => null,
                    };
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
