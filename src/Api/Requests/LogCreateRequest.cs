using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/log/create, and each element of POST /api/log/createBatch.</summary>
public sealed class LogCreateRequest : IValidatedRequest, ILogReferences
{
    public const int MaxMessageLength = 32_768;

    public const string LevelMustBe = "must be a log level: 0 Trace, 1 Debug, 2 Info, 3 Warning, 4 Error, 5 Fatal.";

    public string? RobotGUID { get; set; }

    public string? ProcessVersionGUID { get; set; }

    public string? JobGUID { get; set; }

    /// <summary>0 Trace … 5 Fatal; 2 Info when not sent.</summary>
    public int? Level { get; set; }

    /// <summary>Required.</summary>
    public string? Message { get; set; }

    /// <summary>The robot's GUID: as sent, or once a numeric id sent is looked up.</summary>
    [JsonIgnore]
    public Guid? Robot { get; set; }

    [JsonIgnore]
    public Guid? ProcessVersion { get; set; }

    [JsonIgnore]
    public Guid? Job { get; set; }

    /// <summary>True when a reference came as a numeric id, which the handler looks up before the line is written.</summary>
    [JsonIgnore]
    public bool NamesAnId => IsId(RobotGUID) || IsId(ProcessVersionGUID) || IsId(JobGUID);

    public IResult? Validate() => Validate(string.Empty);

    /// <summary>Checks the fields, naming them with <paramref name="prefix"/> (a batch's <c>[3].</c>).</summary>
    public IResult? Validate(string prefix)
    {
        if (Message is null)
        {
            return Problems.Field(prefix + nameof(Message), "is required.");
        }

        if (Message.Length > MaxMessageLength)
        {
            return Problems.Field(prefix + nameof(Message), $"must be at most {MaxMessageLength} characters.");
        }

        if (Message.Contains('\0'))
        {
            return Problems.Field(prefix + nameof(Message), "must not contain NUL characters.");
        }

        if (Level is { } level && level is < 0 or > 5)
        {
            return Problems.Field(prefix + nameof(Level), LevelMustBe);
        }

        return Reference(RobotGUID, prefix + nameof(RobotGUID), out var robot)
            ?? Reference(ProcessVersionGUID, prefix + nameof(ProcessVersionGUID), out var version)
            ?? Reference(JobGUID, prefix + nameof(JobGUID), out var job)
            ?? Accept(robot, version, job);
    }

    private IResult? Accept(Guid? robot, Guid? version, Guid? job)
    {
        Robot = robot;
        ProcessVersion = version;
        Job = job;
        return null;
    }

    /// <summary>
    /// An optional reference: absent or empty is none; a GUID is taken as it is; a numeric id is left for the handler to
    /// look up (<see cref="IsId"/>; <paramref name="guid"/> null); anything else is a 400.
    /// </summary>
    public static IResult? Reference(string? text, string field, out Guid? guid)
    {
        guid = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!References.TryParse(text, field, out var parsed, out _, out var problem))
        {
            return problem;
        }

        guid = parsed == System.Guid.Empty ? null : parsed;
        return null;
    }

    /// <summary>True when the reference is a numeric id.</summary>
    public static bool IsId(string? text) =>
        !string.IsNullOrWhiteSpace(text) && long.TryParse(text.AsSpan().Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
}
