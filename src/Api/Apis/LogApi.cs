using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Hosting;
using Orchestrator.Jobs;
using Orchestrator.Logs;
using Orchestrator.Processes;
using Orchestrator.Robots;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §13: the robots' logs. Writes go through the silo's <see cref="LogWriter"/>: answered once committed.</summary>
public static class LogApi
{
    /// <summary>Lines in one createBatch at most.</summary>
    public const int MaxBatch = 10_000;

    public static RouteGroupBuilder MapLogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/log").WithTags("Logs");
        api.MapPost("/create", Create).WithName("CreateLog").WithSummary("Write a log line; answered [] once it is committed").WithJsonBody<LogCreateRequest>();
        api.MapPost("/createBatch", CreateBatch).WithName("CreateLogBatch").WithSummary("Write an array of log lines in one commit").WithJsonBody<LogCreateRequest[]>();
        api.MapGet("/read/{guid}", Read).WithName("ReadLog").WithSummary("Read a log line").Produces<LogView>();
        api.MapPost("/list", List)
            .WithName("ListLogs")
            .WithSummary("List log lines: filters, Take (default 100, at most 1000), Before (page back, newest first) or After (follow, oldest first)")
            .WithJsonBody<LogListRequest>()
            .Produces<LogView[]>();
        api.MapDelete("/purge", Purge).WithName("PurgeLogs").WithSummary("Delete the account's log lines created before Time (Unix seconds)").WithJsonBody<LogPurgeRequest>();
        return api;
    }

    public static async Task<IResult> Create(
        HttpRequest request, LogWriter writer, OrchestratorClock clock, Resource<IRobotGrain> robots, Resource<IJobGrain> jobs, Resource<IProcessVersionGrain> versions)
    {
        var body = await RequestBody.ReadAsync<LogCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var caller = request.HttpContext.Caller();
        if (body.Value!.NamesAnId && await Resolve(new LogReferenceLookup(caller, robots, jobs, versions), body.Value, string.Empty) is { } notFound)
        {
            return notFound;
        }

        await writer.WriteAsync([Line(body.Value!, caller.AccountId, clock.Now)]);
        return Empty.Ok;
    }

    public static async Task<IResult> CreateBatch(
        HttpRequest request, LogWriter writer, OrchestratorClock clock, Resource<IRobotGrain> robots, Resource<IJobGrain> jobs, Resource<IProcessVersionGrain> versions)
    {
        var body = await RequestBody.ReadAsync<List<LogCreateRequest?>>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var requests = body.Value!;
        if (requests.Count > MaxBatch)
        {
            return Problems.Field("body", $"must hold at most {MaxBatch} log lines.");
        }

        var caller = request.HttpContext.Caller();
        var account = caller.AccountId;
        var now = clock.Now;
        var lines = new List<LogLine>(requests.Count);
        LogReferenceLookup? lookup = null;
        for (var i = 0; i < requests.Count; i++)
        {
            var prefix = $"[{i.ToString(CultureInfo.InvariantCulture)}].";
            if (requests[i] is not { } line)
            {
                return Problems.Field(prefix.TrimEnd('.'), "must be a log line object.");
            }

            if (line.Validate(prefix) is { } invalid)
            {
                return invalid;
            }

            if (line.NamesAnId && await Resolve(lookup ??= new LogReferenceLookup(caller, robots, jobs, versions), line, prefix) is { } notFound)
            {
                return notFound;
            }

            lines.Add(Line(line, account, now));
        }

        await writer.WriteAsync(lines);
        return Empty.Ok;
    }

    public static async Task<IResult> Read(string guid, HttpContext http, LogRecords logs)
    {
        var account = http.Caller().AccountId;
        var text = guid.Trim();
        LogRecord? log;
        if (Guid.TryParse(text, out var parsed))
        {
            log = await logs.FindAsync(account, parsed);
        }
        else if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            log = await logs.FindAsync(account, id);
        }
        else
        {
            return Problems.Field("guid", "must be a GUID or a numeric id.");
        }

        return log is null ? Problems.NotFound("Log") : TypedResults.Json(LogView.From(log));
    }

    public static async Task<IResult> List(
        HttpRequest request, LogRecords logs, Resource<IRobotGrain> robots, Resource<IJobGrain> jobs, Resource<IProcessVersionGrain> versions)
    {
        var body = await RequestBody.ReadAsync<LogListRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var caller = request.HttpContext.Caller();
        var filter = body.Value!.Filter;
        var (robot, job, version, notFound) = await new LogReferenceLookup(caller, robots, jobs, versions).ResolveAsync(body.Value, string.Empty);
        if (notFound is not null)
        {
            return notFound;
        }

        filter = filter with { RobotGuid = robot ?? filter.RobotGuid, JobGuid = job ?? filter.JobGuid, ProcessVersionGuid = version ?? filter.ProcessVersionGuid };
        var rows = await logs.ListAsync(caller.AccountId, filter);
        return TypedResults.Json(rows.Select(LogView.From));
    }

    public static async Task<IResult> Purge(HttpRequest request, LogWriter writer)
    {
        var body = await RequestBody.ReadAsync<LogPurgeRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        await writer.PurgeAsync(request.HttpContext.Caller().AccountId, body.Value!.Before, request.HttpContext.RequestAborted);
        return Empty.Ok;
    }

    /// <summary>Gives a line the GUIDs of the references it sent as ids; the 404 of one that names nothing.</summary>
    private static async Task<IResult?> Resolve(LogReferenceLookup lookup, LogCreateRequest line, string prefix)
    {
        var (robot, job, version, notFound) = await lookup.ResolveAsync(line, prefix);
        (line.Robot, line.Job, line.ProcessVersion) = (robot ?? line.Robot, job ?? line.Job, version ?? line.ProcessVersion);
        return notFound;
    }

    private static LogLine Line(LogCreateRequest r, long account, DateTimeOffset now) =>
        // Version 7: time-ordered, so the GUID index takes each new line at its end instead of at a random page.
        new(Guid.CreateVersion7(), account, r.Robot, r.Job, r.ProcessVersion, r.Level ?? 2, r.Message!, now);
}
