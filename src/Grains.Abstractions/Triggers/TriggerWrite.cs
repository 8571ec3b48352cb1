using Orchestrator.Common;

namespace Orchestrator.Triggers;

/// <summary>
/// The outcome of a trigger update. Whether the fields fit together (a cron for a scheduled trigger, the robot or
/// group its RobotType names, EndAt not before StartAt) depends on the stored definition, so the grain judges it on
/// the merged one and names the field it refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.trigger-write")]
public sealed record TriggerWrite(
    [property: Id(0)] WriteResult Result,
    [property: Id(1)] string? InvalidField = null,
    [property: Id(2)] string? InvalidDetail = null)
{
    public static TriggerWrite Invalid(string field, string detail) => new(WriteResult.Conflict, field, detail);
}
