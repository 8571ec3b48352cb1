namespace Orchestrator.Api.Views;

/// <summary>The answer to a robot's heartbeat.</summary>
public sealed record HeartbeatView(int Status, int HeartbeatInterval, IReadOnlyList<RobotCommandView> Commands);
