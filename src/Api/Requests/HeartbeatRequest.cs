using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/robot/heartbeat, sent by a robot every HeartbeatInterval seconds.</summary>
public sealed class HeartbeatRequest : IValidatedRequest
{
    public const long MaxAck = (1L << 53) - 1;

    /// <summary>The longest a heartbeat may be held open waiting for a command.</summary>
    public const int MaxWaitSeconds = 60;

    /// <summary>Required: the robot's GUID or numeric id.</summary>
    public string? GUID { get; set; }

    public string? Machine { get; set; }

    public string? IP { get; set; }

    public string? MAC { get; set; }

    /// <summary>The robot runtime's version.</summary>
    public string? Version { get; set; }

    /// <summary>Seconds (0–60) to hold the request open until a command is queued for the robot.</summary>
    public int? Wait { get; set; }

    /// <summary>
    /// The highest command <c>Seq</c> received so far. Sent, commands are answered until acknowledged
    /// (at least once); never sent, each command is answered once (at most once).
    /// </summary>
    public long? Ack { get; set; }

    /// <summary>
    /// The job the robot believes it runs, or empty when it runs none; not sent, no reconciliation is done.
    /// A job it runs that the orchestrator has ended is answered with AbortJob; a running job it says it does not run is Failed.
    /// </summary>
    public string? RunningJobGUID { get; set; }

    /// <summary>The parsed <see cref="RunningJobGUID"/>: null when not sent.</summary>
    public Robots.RunningJobReport? RunningJob =>
        RunningJobGUID is null ? null : new(string.IsNullOrWhiteSpace(RunningJobGUID) ? null : Guid.Parse(RunningJobGUID));

    public IResult? Validate()
    {
        if ((Validation.Line(Machine, nameof(Machine)) ?? Validation.Line(IP, nameof(IP)) ?? Validation.Line(MAC, nameof(MAC))
            ?? Validation.Line(Version, nameof(Version))) is { } invalid)
        {
            return invalid;
        }

        if (Wait is < 0 or > MaxWaitSeconds)
        {
            return Problems.Field(nameof(Wait), $"must be between 0 and {MaxWaitSeconds} seconds.");
        }

        if (!string.IsNullOrWhiteSpace(RunningJobGUID) && !Guid.TryParse(RunningJobGUID, out _))
        {
            return Problems.Field(nameof(RunningJobGUID), "must be a job GUID, or empty when the robot runs no job.");
        }

        // Below 2^53 (what a JSON number holds exactly), which also leaves a sequence moved up to it room to go on.
        return Ack is < 0 or > MaxAck ? Problems.Field(nameof(Ack), $"must be a command Seq (0 to {MaxAck}).") : null;
    }
}
