namespace Orchestrator.Jobs;

/// <summary>The filters and page of a job list; null members do not filter. <see cref="From"/>/<see cref="To"/> bound the creation time.</summary>
public sealed record JobListFilter(
    JobStatus? Status, long? RobotId, long? ProcessId, long? ScheduleId, DateTimeOffset? From, DateTimeOffset? To, int Skip, int Take);
