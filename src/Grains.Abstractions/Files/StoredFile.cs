namespace Orchestrator.Files;

/// <summary>File bytes committed to the <c>file_blobs</c> table: the row that holds them, their length and SHA-256 (lowercase hex).</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.stored-file")]
public sealed record StoredFile(
    [property: Id(0)] long BlobId,
    [property: Id(1)] long Size,
    [property: Id(2)] string Sha256);
