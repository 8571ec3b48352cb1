namespace Orchestrator.Jobs;

/// <summary>Who asks for a job transition: an operator (through the API, no robot named) or the robot that holds the job.</summary>
[GenerateSerializer, Alias("orchestrator.job-actor")]
public enum JobActor
{
    Operator = 0,
    Robot = 1,
    Orchestrator = 2,
}
