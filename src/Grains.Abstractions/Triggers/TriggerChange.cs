namespace Orchestrator.Triggers;

/// <summary>
/// An update of a trigger: null fields keep their value (references already resolved to the account's numeric ids).
/// The trigger's grain merges it onto the definition it holds, so concurrent updates of different fields all stay.
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.trigger-change")]
public sealed record TriggerChange(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] TriggerStatus? Status = null,
    [property: Id(3)] TriggerProcessingType? ProcessingType = null,
    [property: Id(4)] string? CronTab = null,
    [property: Id(5)] bool ClearCronTab = false,
    [property: Id(6)] string? TimeZone = null,
    [property: Id(7)] TriggerRobotType? RobotType = null,
    [property: Id(8)] long? RobotId = null,
    [property: Id(9)] long? RobotGroupId = null,
    [property: Id(10)] long? ProcessId = null,
    [property: Id(11)] DateTimeOffset? StartAt = null,
    [property: Id(12)] bool ClearStartAt = false,
    [property: Id(13)] DateTimeOffset? EndAt = null,
    [property: Id(14)] bool ClearEndAt = false,
    [property: Id(15)] long? MaxRuns = null,
    [property: Id(16)] int? MaxRunningRobots = null,
    [property: Id(17)] bool? CheckMissedTrigger = null,
    [property: Id(18)] long? CalendarAssetId = null,
    [property: Id(19)] bool ClearCalendarAssetId = false)
{
    /// <summary>The definition with this change's fields over <paramref name="current"/>'s.</summary>
    public TriggerDefinition ApplyTo(TriggerDefinition current) => current with
    {
        Name = Name ?? current.Name,
        Description = Description ?? current.Description,
        Status = Status ?? current.Status,
        ProcessingType = ProcessingType ?? current.ProcessingType,
        CronTab = ClearCronTab ? null : CronTab ?? current.CronTab,
        TimeZone = TimeZone ?? current.TimeZone,
        RobotType = RobotType ?? current.RobotType,
        RobotId = RobotId ?? current.RobotId,
        RobotGroupId = RobotGroupId ?? current.RobotGroupId,
        ProcessId = ProcessId ?? current.ProcessId,
        StartAt = ClearStartAt ? null : StartAt ?? current.StartAt,
        EndAt = ClearEndAt ? null : EndAt ?? current.EndAt,
        MaxRuns = MaxRuns ?? current.MaxRuns,
        MaxRunningRobots = MaxRunningRobots ?? current.MaxRunningRobots,
        CheckMissedTrigger = CheckMissedTrigger ?? current.CheckMissedTrigger,
        CalendarAssetId = ClearCalendarAssetId ? null : CalendarAssetId ?? current.CalendarAssetId,
    };
}
