using System.Text.Json.Serialization;
using Orchestrator.Robots;

namespace Orchestrator.Api.Views;

/// <summary>A command in a heartbeat answer; members a command type does not use are left out.</summary>
public sealed record RobotCommandView(
    long Seq,
    string Type,
    Guid JobGUID,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ProcessVersionGUID,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProcessFileName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Parameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? StopAfter)
{
    public static RobotCommandView From(RobotCommand c) =>
        new(c.Seq, c.Type, c.JobGuid, c.ProcessVersionGuid, c.ProcessFileName, c.Parameters, c.StopAfter);
}
