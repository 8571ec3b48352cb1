using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/job/create.</summary>
public sealed class JobCreateRequest : IValidatedRequest
{
    /// <summary>Ten years: a run's stop time is counted from its start and must stay a time.</summary>
    public const long MaxStopAfterSeconds = 10L * 366 * 24 * 3600;

    /// <summary>The process (its latest version runs); this or <see cref="ProcessVersionGuid"/> is required.</summary>
    public string? ProcessGuid { get; set; }

    public string? ProcessVersionGuid { get; set; }

    /// <summary>Target: one robot. Neither this nor <see cref="RobotGroupGuid"/>: any robot of the account.</summary>
    public string? RobotGuid { get; set; }

    /// <summary>Target: any robot of the group.</summary>
    public string? RobotGroupGuid { get; set; }

    /// <summary>A number: seconds after the job starts; a string: a date-time.</summary>
    public JsonElement? StopAfter { get; set; }

    /// <summary>A JSON object handed to the robot with StartJob.</summary>
    public JsonElement? Parameters { get; set; }

    /// <summary>What is stored of <see cref="Parameters"/>: its JSON, or null.</summary>
    [JsonIgnore]
    public string? ParametersText { get; private set; }

    /// <summary>0 low, 1 normal (default), 2 high.</summary>
    public int? Priority { get; set; }

    /// <summary>The parsed <see cref="StopAfter"/>: seconds after start, or a date-time.</summary>
    public (long? Seconds, DateTimeOffset? At) StopAfterValue { get; private set; }

    public IResult? Validate()
    {
        if (string.IsNullOrWhiteSpace(ProcessGuid) && string.IsNullOrWhiteSpace(ProcessVersionGuid))
        {
            return Problems.Field(nameof(ProcessGuid), "is required (or ProcessVersionGuid).");
        }

        if (!string.IsNullOrWhiteSpace(RobotGuid) && !string.IsNullOrWhiteSpace(RobotGroupGuid))
        {
            return Problems.Field(nameof(RobotGroupGuid), "cannot be sent with RobotGuid: a job targets one robot, one group, or any robot.");
        }

        if (Priority is < 0 or > 2)
        {
            return Problems.Field(nameof(Priority), "must be 0 (low), 1 (normal) or 2 (high).");
        }

        if (Parameters is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            return Problems.Field(nameof(Parameters), "must be a JSON object.");
        }

        if (JsonText.Read(Parameters, nameof(Parameters), out var parameters) is { } badParameters)
        {
            return badParameters;
        }

        if (parameters?.Length > Validation.MaxTextLength * 16)
        {
            return Problems.Field(nameof(Parameters), $"must be at most {Validation.MaxTextLength * 16} characters of JSON.");
        }

        ParametersText = parameters;

        if (StopAfter is not { } stop || stop.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (stop.ValueKind == JsonValueKind.Number && stop.TryGetInt64(out var seconds) && seconds is > 0 and <= MaxStopAfterSeconds)
        {
            StopAfterValue = (seconds, null);
            return null;
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            var text = stop.GetString()!.Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= MaxStopAfterSeconds)
            {
                StopAfterValue = (s, null);
                return null;
            }

            if (Times.TryParse(text, out var at))
            {
                StopAfterValue = (null, at);
                return null;
            }
        }

        return Problems.Field(nameof(StopAfter), $"must be a number of seconds (1 to {MaxStopAfterSeconds}) or a date-time.");
    }
}
