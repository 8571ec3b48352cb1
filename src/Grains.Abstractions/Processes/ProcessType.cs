namespace Orchestrator.Processes;

/// <summary>Process type as API.md §2 defines it; the numbers are part of the contract.</summary>
[GenerateSerializer, Alias("orchestrator.process-type")]
public enum ProcessType
{
    Process = 0,
    Package = 1,
}
