namespace Orchestrator.Api.Views;

/// <summary>GET /api/robot/getStatus answers only the status.</summary>
public sealed record RobotStatusView(int Status);
