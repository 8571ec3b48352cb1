using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;
using Orchestrator.Triggers;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/schedule/create; also the fields of PUT /api/schedule/update, where each is optional.</summary>
public class TriggerCreateRequest : IValidatedRequest
{
    /// <summary>The most jobs a continuous trigger keeps pending or running at once.</summary>
    public const int MaxRunningRobotsLimit = 10_000;

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>0 Disabled, 1 Enabled (the default).</summary>
    public int? Status { get; set; }

    /// <summary>A cron of 5 fields, or 6 with seconds first; required when ProcessingType is 2.</summary>
    public string? CronTab { get; set; }

    /// <summary>
    /// 0 any robot of the account, 1 a robot group (RobotGroupId), 2 one robot (RobotId). The vendor document numbers 0
    /// "one robot": with a RobotId (or a RobotGroupId), 0 or none is taken as 2 (or 1).
    /// </summary>
    public int? RobotType { get; set; }

    public string? RobotId { get; set; }

    public string? RobotGroupId { get; set; }

    /// <summary>1 Continuous, 2 Scheduled (cron).</summary>
    public int? ProcessingType { get; set; }

    public string? StartAt { get; set; }

    public string? EndAt { get; set; }

    /// <summary>0 = unlimited.</summary>
    public long? MaxRuns { get; set; }

    public int? MaxRunningRobots { get; set; }

    /// <summary>1: occurrences missed while no silo ran the trigger fire once on recovery; 0: they are skipped.</summary>
    public string? CheckMissedTrigger { get; set; }

    /// <summary>The process's GUID or numeric id.</summary>
    public string? ProcessId { get; set; }

    /// <summary>How the vendor document's example spells <see cref="ProcessId"/>.</summary>
    public string? Process { get; set; }

    /// <summary>An IANA time zone id; UTC by default.</summary>
    public string? TimeZone { get; set; }

    /// <summary>A Calendar asset (GUID or numeric id) whose dates are skipped.</summary>
    public string? CalendarAssetId { get; set; }

    [JsonIgnore]
    public DateTimeOffset? StartAtValue { get; private set; }

    [JsonIgnore]
    public DateTimeOffset? EndAtValue { get; private set; }

    /// <summary>StartAt sent as "" or 0: the window opens from now on (update only).</summary>
    [JsonIgnore]
    public bool ClearsStartAt { get; private set; }

    [JsonIgnore]
    public bool ClearsEndAt { get; private set; }

    [JsonIgnore]
    public bool? CheckMissed { get; private set; }

    /// <summary>The process reference, under whichever name it came.</summary>
    [JsonIgnore]
    public string? ProcessReference => string.IsNullOrWhiteSpace(ProcessId) ? Process : ProcessId;

    /// <summary>The field the process reference came in.</summary>
    [JsonIgnore]
    public string ProcessField => string.IsNullOrWhiteSpace(ProcessId) && !string.IsNullOrWhiteSpace(Process) ? nameof(Process) : nameof(ProcessId);

    public virtual IResult? Validate() =>
        Validation.Name(Name, nameof(Name))
        ?? (ProcessingType is null ? Problems.Field(nameof(ProcessingType), "is required: 1 Continuous, 2 Scheduled (cron).") : null)
        ?? (string.IsNullOrWhiteSpace(ProcessReference) ? Problems.Field(nameof(ProcessId), "is required: the process's GUID or numeric id.") : null)
        ?? Fields();

    /// <summary>Never more than the names: the document's clients send whatever they have.</summary>
    public override string ToString() => $"{GetType().Name} {{ Name = {Name}, ProcessingType = {ProcessingType}, CronTab = {CronTab} }}";

    protected IResult? Fields()
    {
        if (Status is { } status && !Enum.IsDefined((TriggerStatus)status))
        {
            return Problems.Field(nameof(Status), "must be 0 (Disabled) or 1 (Enabled).");
        }

        if (ProcessingType is { } type && !Enum.IsDefined((TriggerProcessingType)type))
        {
            return Problems.Field(nameof(ProcessingType), "must be 1 (Continuous) or 2 (Scheduled, cron).");
        }

        if (RobotType is { } robotType && !Enum.IsDefined((TriggerRobotType)robotType))
        {
            return Problems.Field(nameof(RobotType), "must be 0 (any robot), 1 (a robot group, RobotGroupId) or 2 (one robot, RobotId).");
        }

        if (!string.IsNullOrWhiteSpace(CronTab) && !TriggerPlan.TryParseCron(CronTab, out _, out var cronError))
        {
            return Problems.Field(nameof(CronTab), cronError!);
        }

        if (TimeZone is not null && !TriggerPlan.TryFindZone(TimeZone, out _))
        {
            return Problems.Field(nameof(TimeZone), "must be an IANA time zone id, such as \"UTC\" or \"Europe/Berlin\".");
        }

        if (MaxRuns is < 0)
        {
            return Problems.Field(nameof(MaxRuns), "must be 0 (unlimited) or more.");
        }

        if (MaxRunningRobots is < 1 or > MaxRunningRobotsLimit)
        {
            return Problems.Field(nameof(MaxRunningRobots), $"must be between 1 and {MaxRunningRobotsLimit}.");
        }

        if (Flags.Optional(CheckMissedTrigger, nameof(CheckMissedTrigger), out var checkMissed) is { } badFlag)
        {
            return badFlag;
        }

        CheckMissed = checkMissed;
        if (Time(StartAt, nameof(StartAt), out var startAt, out var clearsStart) is { } badStart)
        {
            return badStart;
        }

        if (Time(EndAt, nameof(EndAt), out var endAt, out var clearsEnd) is { } badEnd)
        {
            return badEnd;
        }

        (StartAtValue, EndAtValue, ClearsStartAt, ClearsEndAt) = (startAt, endAt, clearsStart, clearsEnd);
        return Validation.Text(Description, nameof(Description))
            ?? Validation.Line(CronTab, nameof(CronTab))
            ?? Validation.Line(TimeZone, nameof(TimeZone));
    }

    private static IResult? Time(string? text, string field, out DateTimeOffset? value, out bool clears)
    {
        value = null;
        clears = false;
        if (text is null)
        {
            return null;
        }

        if (text.Trim() is "" or "0")
        {
            clears = true;
            return null;
        }

        if (!Times.TryParse(text, out var time))
        {
            return Problems.Field(field, Times.MustBe);
        }

        value = time;
        return null;
    }
}

/// <summary>PUT /api/schedule/update: the trigger's reference and any field of create.</summary>
public sealed class TriggerUpdateRequest : TriggerCreateRequest
{
    /// <summary>Required: the trigger's GUID or numeric id.</summary>
    public string? Guid { get; set; }

    public override IResult? Validate() =>
        Validation.Required(Guid, nameof(Guid))
        ?? (Name is null ? null : Validation.Name(Name, nameof(Name)))
        ?? Fields();
}
