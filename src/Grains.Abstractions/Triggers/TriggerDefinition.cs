namespace Orchestrator.Triggers;

/// <summary>
/// What an operator defines a trigger as: every field of create and update, with references already resolved to
/// the account's numeric ids and the cron and time zone already checked to parse.
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.trigger-definition")]
public sealed record TriggerDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description,
    [property: Id(2)] TriggerStatus Status,
    [property: Id(3)] TriggerProcessingType ProcessingType,
    [property: Id(4)] string? CronTab,
    [property: Id(5)] string TimeZone,
    [property: Id(6)] TriggerRobotType RobotType,
    [property: Id(7)] long? RobotId,
    [property: Id(8)] long? RobotGroupId,
    [property: Id(9)] long ProcessId,
    [property: Id(10)] DateTimeOffset? StartAt,
    [property: Id(11)] DateTimeOffset? EndAt,
    [property: Id(12)] long MaxRuns,
    [property: Id(13)] int MaxRunningRobots,
    [property: Id(14)] bool CheckMissedTrigger,
    [property: Id(15)] long? CalendarAssetId);
