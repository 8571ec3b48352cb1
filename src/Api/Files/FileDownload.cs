using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Orchestrator.Api.Http;
using Orchestrator.Files;

namespace Orchestrator.Api.Files;

/// <summary>
/// Answers a stored file's bytes, streamed from the database to the response as they are read, with its length,
/// its SHA-256 as the ETag, and its file name in <c>Content-Disposition</c>. Bytes deleted after their record was
/// read (the file deleted or replaced meanwhile) are a 404 naming <paramref name="what"/>, never a cut-off answer.
/// </summary>
public sealed class FileDownload(FileBlobs blobs, StoredFile file, string fileName, string what = "File") : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = file.Size;
        response.Headers.ETag = $"\"{file.Sha256}\"";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        response.Headers.ContentDisposition = disposition.ToString();
        if (!await blobs.CopyToAsync(file.BlobId, response.Body, http.RequestAborted) && !response.HasStarted)
        {
            response.Headers.Clear();
            await Problems.NotFound(what).ExecuteAsync(http);
        }
    }
}
