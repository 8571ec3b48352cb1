using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Orchestrator.Api.Http;
using Orchestrator.Hosting;

namespace Orchestrator.Api.Files;

/// <summary>
/// Reads a request that may carry a file, in either form API.md allows: <c>multipart/form-data</c> (the file is a
/// part, streamed to a temporary file as it arrives; the other parts are the request's fields) or JSON (the file
/// is a Base16/Base32/Base64 string, see <see cref="FileEncodings"/>). A file over
/// <see cref="OrchestratorOptions.MaxFileBytes"/> is a 413 naming its field; anything malformed a 400 naming the field.
/// </summary>
public static class FileIntake
{
    private const int CopyBuffer = 81920;

    public static async Task<FileBody<T>> ReadAsync<T>(HttpRequest request)
        where T : class, IFileRequest, new()
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<OrchestratorOptions>>().Value;

        // A JSON body carries the file as text: Base16 doubles it. The server-wide limit is the JSON one, so lift it here.
        var bodyLimit = 2L * options.MaxFileBytes + options.MaxJsonBodyBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = bodyLimit;
        }

        return MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? await ReadMultipartAsync<T>(request, type, options)
            : await ReadJsonAsync<T>(request, bodyLimit, options.MaxFileBytes);
    }

    private static async Task<FileBody<T>> ReadJsonAsync<T>(HttpRequest request, long bodyLimit, int maxFileBytes)
        where T : class, IFileRequest, new()
    {
        // The JSON is read whole: System.Text.Json needs the file's string in one piece to decode it.
        var body = await RequestBody.ReadAsync<T>(request, bodyLimit);
        if (body.Problem is not null)
        {
            return new(null, null, body.Problem);
        }

        var value = body.Value!;
        if (value.FileText is not { } text)
        {
            return new(value, null, null);
        }

        text = FileEncodings.Compact(text);
        var encoding = string.IsNullOrWhiteSpace(value.Encoding) ? FileEncodings.Detect(text) : value.Encoding;
        // Refused before decoding when even the shortest reading is too long (Base64 padding may take up to 2 bytes off).
        if (FileEncodings.MaxDecodedLength(text, encoding) > maxFileBytes + 2L)
        {
            return new(null, null, Problems.FieldTooLarge(T.FileField, maxFileBytes));
        }

        if (FileEncodings.Decode(text, encoding) is not { } bytes)
        {
            return new(null, null, Problems.Field(T.FileField, $"is not valid {encoding.ToLowerInvariant()}: send the file as Base16, Base32 or Base64 (API.md §12), or as a multipart part."));
        }

        if (bytes.Length > maxFileBytes)
        {
            return new(null, null, Problems.FieldTooLarge(T.FileField, maxFileBytes));
        }

        return new(value, new FileUpload(new MemoryStream(bytes, writable: false), bytes.Length, null), null);
    }

    private static async Task<FileBody<T>> ReadMultipartAsync<T>(HttpRequest request, MediaTypeHeaderValue type, OrchestratorOptions options)
        where T : class, IFileRequest, new()
    {
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
        {
            return new(null, null, Problems.Field("body", "is multipart/form-data without a boundary."));
        }

        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        FileUpload? upload = null;
        long fieldBytes = 0;
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (name.Equals(T.FileField, StringComparison.OrdinalIgnoreCase) || disposition.IsFileDisposition())
                {
                    if (upload is not null)
                    {
                        return Fail(Problems.Field(T.FileField, "must be sent once."));
                    }

                    var spooled = await SpoolAsync(section.Body, options.MaxFileBytes, request.HttpContext.RequestAborted);
                    if (spooled is null)
                    {
                        return Fail(Problems.FieldTooLarge(T.FileField, options.MaxFileBytes));
                    }

                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    upload = new FileUpload(spooled, spooled.Length, string.IsNullOrWhiteSpace(fileName) ? null : fileName);
                    continue;
                }

                using var text = new StreamReader(section.Body, Encoding.UTF8);
                var value = await text.ReadToEndAsync(request.HttpContext.RequestAborted);
                fieldBytes += value.Length;
                if (fieldBytes > options.MaxJsonBodyBytes)
                {
                    return Fail(Problems.TooLarge(options.MaxJsonBodyBytes));
                }

                fields[name] = value;
            }
        }
        catch (IOException)
        {
            // MultipartReader reports a malformed body (a missing boundary, a part cut off) this way.
            return Fail(Problems.Field("body", "is not well-formed multipart/form-data."));
        }
        catch (InvalidDataException)
        {
            return Fail(Problems.Field("body", "is not well-formed multipart/form-data."));
        }

        if (T.FieldNamedByPart is { } named && upload?.FileName is { } partName && !fields.ContainsKey(named))
        {
            fields[named] = partName;
        }

        // The text parts become a JSON object, so one set of rules (types, validation) reads both forms.
        var body = RequestBody.Parse<T>(JsonSerializer.SerializeToUtf8Bytes(fields));
        return body.Problem is not null ? Fail(body.Problem) : new(body.Value, upload, null);

        FileBody<T> Fail(IResult problem)
        {
            upload?.Content.Dispose();
            return new(null, null, problem);
        }
    }

    /// <summary>Copies a part to a temporary file that goes away when closed; null when it is over the limit.</summary>
    private static async Task<Stream?> SpoolAsync(Stream part, int maxBytes, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "orchestrator-upload-" + Path.GetRandomFileName());
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBuffer, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var buffer = new byte[CopyBuffer];
            int read;
            while ((read = await part.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (file.Length + read > maxBytes)
                {
                    await file.DisposeAsync();
                    return null;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A file-carrying request that was read: its fields, its file (null when none was sent), or the problem that stopped it.</summary>
public readonly record struct FileBody<T>(T? Value, FileUpload? File, IResult? Problem)
    where T : class;
