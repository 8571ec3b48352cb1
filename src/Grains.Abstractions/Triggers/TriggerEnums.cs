namespace Orchestrator.Triggers;

/// <summary>Trigger status as API.md §2 defines it.</summary>
[GenerateSerializer, Alias("orchestrator.trigger-status")]
public enum TriggerStatus
{
    Disabled = 0,
    Enabled = 1,
}

/// <summary>What a trigger does (API.md §2): keep jobs running, or fire at cron occurrences.</summary>
[GenerateSerializer, Alias("orchestrator.trigger-processing-type")]
public enum TriggerProcessingType
{
    Continuous = 1,
    Scheduled = 2,
}

/// <summary>Which robots a trigger's jobs are for (API.md §2; numbered unlike the assets' RobotType).</summary>
[GenerateSerializer, Alias("orchestrator.trigger-robot-type")]
public enum TriggerRobotType
{
    AnyRobot = 0,
    Group = 1,
    Robot = 2,
}
