namespace Orchestrator.Triggers;

/// <summary>The rules that span a trigger's fields, checked on the definition as it will be stored.</summary>
public static class TriggerRules
{
    /// <summary>The field that breaks a rule and why, or null when the definition holds together.</summary>
    public static (string Field, string Detail)? Check(TriggerDefinition d)
    {
        if (d.ProcessingType == TriggerProcessingType.Scheduled && d.CronTab is null)
        {
            return ("CronTab", "is required for a scheduled trigger (ProcessingType 2).");
        }

        if (d.RobotType == TriggerRobotType.Robot && d.RobotId is null)
        {
            return ("RobotId", "is required when RobotType is 2 (one robot).");
        }

        if (d.RobotType == TriggerRobotType.Group && d.RobotGroupId is null)
        {
            return ("RobotGroupId", "is required when RobotType is 1 (a robot group).");
        }

        if (d is { StartAt: { } start, EndAt: { } end } && end < start)
        {
            return ("EndAt", "must not be before StartAt.");
        }

        return null;
    }
}
