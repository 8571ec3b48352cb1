using System.Net;
using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>What a test makes and reads back through the process API (API.md §5, §6): processes, their versions and files.</summary>
public static class ProcessScenario
{
    public static async Task<Guid> CreateProcessAsync(ApiClient api, string name) =>
        (await api.PostAsync("/api/process/create", JsonSerializer.Serialize(new { Name = name }))).GetProperty("guid").GetGuid();

    /// <summary>A version of <paramref name="process"/> whose file is <paramref name="file"/>, sent base64-encoded.</summary>
    public static async Task<Guid> CreateVersionAsync(ApiClient api, Guid process, byte[] file) =>
        (await api.PostAsync(
            "/api/processVersion/create",
            JsonSerializer.Serialize(new { Name = "v", ProcessGuid = process, ProcessFile = Convert.ToBase64String(file), Encoding = "base64" })))
        .GetProperty("guid").GetGuid();

    /// <summary>A version's file and the name its download gives.</summary>
    public static async Task<(byte[] Bytes, string? FileName)> DownloadAsync(ApiClient api, Guid version)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"/api/processVersion/download/{version}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disposition = response.Content.Headers.ContentDisposition;
        return (await response.Content.ReadAsByteArrayAsync(), disposition?.FileNameStar ?? disposition?.FileName?.Trim('"'));
    }
}
