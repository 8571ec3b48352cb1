using Orchestrator.Files;

namespace Orchestrator.Processes;

/// <summary>A partial update of a process version: null members are left as they are. A new file comes already stored.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.process-version-change")]
public sealed record ProcessVersionChange(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] long? ProcessId,
    [property: Id(3)] string? FileName,
    [property: Id(4)] StoredFile? File);
