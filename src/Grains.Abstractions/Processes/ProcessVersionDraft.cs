using Orchestrator.Files;

namespace Orchestrator.Processes;

/// <summary>The fields a new process version is created with; its file is already stored.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.process-version-draft")]
public sealed record ProcessVersionDraft(
    [property: Id(0)] long AccountId,
    [property: Id(1)] long ProcessId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Description,
    [property: Id(4)] string FileName,
    [property: Id(5)] StoredFile File);
