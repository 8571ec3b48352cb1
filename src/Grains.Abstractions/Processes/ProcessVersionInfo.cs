using Orchestrator.Files;

namespace Orchestrator.Processes;

/// <summary>A process version and its file.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.process-version-info")]
public sealed record ProcessVersionInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Guid,
    [property: Id(2)] long AccountId,
    [property: Id(3)] long ProcessId,
    [property: Id(4)] string Name,
    [property: Id(5)] string Description,
    [property: Id(6)] string FileName,
    [property: Id(7)] StoredFile File,
    [property: Id(8)] DateTimeOffset Created,
    [property: Id(9)] DateTimeOffset Updated);
