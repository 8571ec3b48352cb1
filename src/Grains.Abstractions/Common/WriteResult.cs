namespace Orchestrator.Common;

/// <summary>The outcome of a command on a record-owning grain, mapped to an HTTP status by the API.</summary>
[GenerateSerializer, Alias("orchestrator.write-result")]
public enum WriteResult
{
    Done = 0,
    NotFound = 1,
    NameTaken = 2,
    Conflict = 3,
}
