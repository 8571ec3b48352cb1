using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Orchestrator.Api.Http;
using Orchestrator.Files;

namespace Orchestrator.Api.Files;

/// <summary>
/// Answers a stored file's bytes, streamed from the database to the response as they are read, with its length,
/// its SHA-256 as the ETag, and its file name in <c>Content-Disposition</c>. Bytes deleted after their record was
/// read (the file deleted or replaced meanwhile) are a 404 naming <paramref name="what"/>, never a cut-off answer. A
/// client that names that ETag in <c>If-None-Match</c> has the bytes already: a 304, and none are read (a robot that
/// keeps a process's file downloads it once, not for every job).
/// </summary>
public sealed class FileDownload(FileBlobs blobs, StoredFile file, string fileName, string what = "File") : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        var etag = new EntityTagHeaderValue($"\"{file.Sha256}\"");
        response.Headers.ETag = etag.ToString();
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } known && known.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = file.Size;
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
