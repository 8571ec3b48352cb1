using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>What a test stores and reads back through the storage API (API.md §12): folders, uploaded files, their bytes.</summary>
public static class FileScenario
{
    public static async Task<Guid> CreateFolderAsync(ApiClient api, string name, string? description = null) =>
        (await api.PostAsync("/api/folders/create", JsonSerializer.Serialize(new { Name = name, Description = description }))).GetProperty("guid").GetGuid();

    /// <summary>Uploads <paramref name="bytes"/> as a multipart form, into <paramref name="folder"/> when one is named.</summary>
    public static async Task<Guid> CreateMultipartAsync(ApiClient api, string name, Guid? folder, byte[] bytes)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(name), "Name");
        if (folder is not null)
        {
            form.Add(new StringContent(folder.Value.ToString()), "folder_guid");
        }

        form.Add(new ByteArrayContent(bytes), "file", "upload.bin");
        using var response = await api.SendAsync(HttpMethod.Post, "/api/files/create", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("guid").GetGuid();
    }

    /// <summary>A file's bytes and the name its download gives.</summary>
    public static async Task<(byte[] Bytes, string? FileName)> DownloadAsync(ApiClient api, Guid file)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"/api/files/download/{file}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disposition = response.Content.Headers.ContentDisposition;
        return (await response.Content.ReadAsByteArrayAsync(), disposition?.FileNameStar ?? disposition?.FileName?.Trim('"'));
    }

    /// <summary>The digest as the API writes it: lower-case hex.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
