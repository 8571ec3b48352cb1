namespace Orchestrator.Api.Files;

/// <summary>
/// A file taken in from a request, ready to be stored: its bytes (a spooled temporary file for a multipart part,
/// memory for a JSON string), their length, and the file name the multipart part gave, if any.
/// </summary>
public sealed class FileUpload(Stream content, long length, string? fileName) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long Length { get; } = length;

    public string? FileName { get; } = fileName;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
