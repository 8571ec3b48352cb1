using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;
using Orchestrator.Logs;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/log/list: filters, all optional, and at most one cursor.</summary>
public sealed class LogListRequest : IValidatedRequest, ILogReferences
{
    public string? RobotGUID { get; set; }

    public string? JobGUID { get; set; }

    public string? ProcessVersionGUID { get; set; }

    public int? MinLevel { get; set; }

    public string? From { get; set; }

    public string? To { get; set; }

    /// <summary>A substring of the message, case as sent.</summary>
    public string? Text { get; set; }

    public int? Take { get; set; }

    /// <summary>Page back: lines with an id below it, newest first.</summary>
    public long? Before { get; set; }

    /// <summary>Follow: lines with an id above it, oldest first.</summary>
    public long? After { get; set; }

    [JsonIgnore]
    public LogFilter Filter { get; private set; } = new();

    public IResult? Validate()
    {
        if (LogCreateRequest.Reference(RobotGUID, nameof(RobotGUID), out var robot) is { } badRobot)
        {
            return badRobot;
        }

        if (LogCreateRequest.Reference(JobGUID, nameof(JobGUID), out var job) is { } badJob)
        {
            return badJob;
        }

        if (LogCreateRequest.Reference(ProcessVersionGUID, nameof(ProcessVersionGUID), out var version) is { } badVersion)
        {
            return badVersion;
        }

        if (MinLevel is { } level && level is < 0 or > 5)
        {
            return Problems.Field(nameof(MinLevel), LogCreateRequest.LevelMustBe);
        }

        if (Take is { } take && take is < 1 or > Paging.MaxPage)
        {
            return Problems.Field(nameof(Take), $"must be between 1 and {Paging.MaxPage}.");
        }

        if (Before is not null && After is not null)
        {
            return Problems.Field(nameof(After), "cannot be sent with Before: page back with Before, or follow with After.");
        }

        if (Before is < 0)
        {
            return Problems.Field(nameof(Before), "must be a log id (a non-negative integer).");
        }

        if (After is < 0)
        {
            return Problems.Field(nameof(After), "must be a log id (a non-negative integer).");
        }

        DateTimeOffset? from = null;
        DateTimeOffset? to = null;
        if (!string.IsNullOrWhiteSpace(From))
        {
            if (!Times.TryParse(From, out var parsed))
            {
                return Problems.Field(nameof(From), Times.MustBe);
            }

            from = parsed;
        }

        if (!string.IsNullOrWhiteSpace(To))
        {
            if (!Times.TryParse(To, out var parsed))
            {
                return Problems.Field(nameof(To), Times.MustBe);
            }

            to = parsed;
        }

        if (Text is { Length: > Validation.MaxTextLength })
        {
            return Problems.Field(nameof(Text), $"must be at most {Validation.MaxTextLength} characters.");
        }

        if (Text is not null && Text.Contains('\0'))
        {
            return Problems.Field(nameof(Text), "must not contain NUL characters.");
        }

        Filter = new LogFilter(robot, job, version, MinLevel, from, to, string.IsNullOrEmpty(Text) ? null : Text, Before, After, Take ?? Paging.DefaultPage);
        return null;
    }
}
