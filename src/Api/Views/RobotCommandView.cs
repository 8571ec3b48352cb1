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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] System.Text.Json.JsonElement? Parameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? StopAfter)
{
    public static RobotCommandView From(RobotCommand c) =>
        new(c.Seq, c.Type, c.JobGuid, c.ProcessVersionGuid, c.ProcessFileName, ParametersOf(c.Parameters), c.StopAfter);

    // The job's parameters are stored as the JSON object they were sent as, and handed to the robot as that object.
    private static System.Text.Json.JsonElement? ParametersOf(string? json) =>
        json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}
