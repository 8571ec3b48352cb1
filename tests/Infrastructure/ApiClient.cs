using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>An HTTP client of the orchestrator that sends raw JSON, so tests can send exactly what a robot or the vendor document sends.</summary>
public sealed class ApiClient(Uri address, string? key) : IDisposable
{
    private readonly HttpClient _http = CreateHttp(address, key);

    public string? Key { get; } = key;

    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? json = null, string contentType = "application/json", bool expectContinue = false)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.ExpectContinue = expectContinue;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return _http.SendAsync(request);
    }

    /// <summary>A GET with the request's own headers set by <paramref name="headers"/> (a conditional download).</summary>
    public Task<HttpResponseMessage> GetWithAsync(string path, Action<HttpRequestHeaders> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        headers(request.Headers);
        return _http.SendAsync(request);
    }

    /// <summary>Sends any content (a multipart form, raw bytes) as it is.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent content) =>
        _http.SendAsync(new HttpRequestMessage(method, path.TrimStart('/')) { Content = content });

    /// <summary>Sends and asserts the status; answers the body parsed as JSON (or an undefined element when empty).</summary>
    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : Parse(text);
    }

    public Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) => JsonAsync(HttpMethod.Get, path, null, expected);

    public Task<JsonElement> PostAsync(string path, string json, HttpStatusCode expected = HttpStatusCode.OK) => JsonAsync(HttpMethod.Post, path, json, expected);

    public Task<JsonElement> PutAsync(string path, string json, HttpStatusCode expected = HttpStatusCode.OK) => JsonAsync(HttpMethod.Put, path, json, expected);

    public Task<JsonElement> DeleteAsync(string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK) => JsonAsync(HttpMethod.Delete, path, json, expected);

    public void Dispose() => _http.Dispose();

    private static HttpClient CreateHttp(Uri address, string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri(address, "/"), Timeout = TimeSpan.FromSeconds(100) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    /// <summary>Parses an answer as a client would, without a nesting limit below the server's: a task's JSON may nest as deep as its request.</summary>
    public static JsonElement Parse(string json) => JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 }).RootElement.Clone();
}
