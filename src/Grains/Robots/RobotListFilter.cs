namespace Orchestrator.Robots;

/// <summary>The filters and page of a robot list; null members do not filter.</summary>
public sealed record RobotListFilter(RobotStatus? Status, long? GroupId, int Skip, int? Take);
