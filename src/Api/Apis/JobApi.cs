using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Accounts;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;
using Orchestrator.Triggers;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §7: jobs, their lifecycle, and the robot's reports.</summary>
public static class JobApi
{
    public static RouteGroupBuilder MapJobApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/job").WithTags("Jobs");
        api.MapPost("/create", Create).WithName("CreateJob").WithSummary("Create a job for a process (its latest version) or a process version").WithJsonBody<JobCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadJob").WithSummary("Read a job").Produces<JobView>();
        api.MapGet("/list", List)
            .WithName("ListJobs")
            .WithSummary("List the account's jobs (filters status, robot, process, schedule, from, to; skip, take)")
            .Produces<JobView[]>();
        api.MapPost("/update", Update)
            .WithName("UpdateJob")
            .WithSummary("Move a job to another status: an operator's Cancelled/Stopping/Aborting, or the robot's report (409 when illegal)")
            .WithJsonBody<JobUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteJob").WithSummary("Delete a job: a pending one is cancelled first; a running one is 409");
        return api;
    }

    public static async Task<IResult> Create(
        HttpRequest request, Resource<IJobGrain> jobs, Resource<IProcessGrain> processes, Resource<IProcessVersionGrain> versions,
        Resource<IRobotGrain> robots, Resource<IRobotGroupGrain> groups)
    {
        var body = await RequestBody.ReadAsync<JobCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        long processId, versionId;
        if (!string.IsNullOrWhiteSpace(r.ProcessVersionGuid))
        {
            var version = await versions.ResolveAsync(caller, r.ProcessVersionGuid, "ProcessVersionGuid");
            if (version.Problem is not null)
            {
                return version.Problem;
            }

            if (await versions.Grain(version.Value).GetAsync(caller.AccountId) is not { } info)
            {
                return versions.NotFound();
            }

            // The version's process must be live (a version left by a delete that stopped half-way is not run), and the
            // one named beside it, if any: its id resolves to its GUID only while it is the caller's and live.
            var ofVersion = await processes.ResolveAsync(caller, info.ProcessId.ToString(CultureInfo.InvariantCulture), "ProcessVersionGuid");
            if (ofVersion.Problem is not null)
            {
                return ofVersion.Problem;
            }

            if (!string.IsNullOrWhiteSpace(r.ProcessGuid))
            {
                var named = await processes.ResolveAsync(caller, r.ProcessGuid, "ProcessGuid");
                if (named.Problem is not null)
                {
                    return named.Problem;
                }

                if (named.Value != ofVersion.Value)
                {
                    return Problems.Field("ProcessVersionGuid", "is a version of another process than ProcessGuid.");
                }
            }

            (processId, versionId) = (info.ProcessId, info.Id);
        }
        else
        {
            var process = await processes.ResolveAsync(caller, r.ProcessGuid, "ProcessGuid");
            if (process.Problem is not null)
            {
                return process.Problem;
            }

            if (await processes.Grain(process.Value).GetAsync(caller.AccountId) is not { } info)
            {
                return processes.NotFound();
            }

            if (info.LatestVersionId is not { } latest)
            {
                return Problems.Conflict("ProcessGuid", "The process has no version to run; create one first.");
            }

            (processId, versionId) = (info.Id, latest);
        }

        long? robotId = null, groupId = null;
        if (!string.IsNullOrWhiteSpace(r.RobotGuid))
        {
            var robot = await robots.ResolveIdAsync(caller, r.RobotGuid, "RobotGuid");
            if (robot.Problem is not null)
            {
                return robot.Problem;
            }

            robotId = robot.Value;
        }
        else if (!string.IsNullOrWhiteSpace(r.RobotGroupGuid))
        {
            var group = await groups.ResolveIdAsync(caller, r.RobotGroupGuid, "RobotGroupGuid");
            if (group.Problem is not null)
            {
                return group.Problem;
            }

            groupId = group.Value;
        }

        var parameters = r.ParametersText;
        var draft = new JobDraft(
            caller.AccountId, processId, versionId, robotId, groupId, r.Priority ?? 1, parameters, r.StopAfterValue.Seconds, r.StopAfterValue.At);
        return await jobs.CreateAsync(
            job => job.CreateAsync(draft),
            (guid, id) => CreatedView.Of(guid, id),
            ("ProcessGuid", "The process version, robot or robot group the job names was deleted while it was being created."));
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<IJobGrain> jobs) =>
        jobs.ReadAsync(http.Caller(), guid, "guid", job => job.GetAsync(http.Caller().AccountId), JobView.From);

    public static async Task<IResult> List(
        HttpRequest request, JobRecords jobs, Resource<IRobotGrain> robots, Resource<IProcessGrain> processes, TriggerRecords triggers)
    {
        if (!Paging.TryReadPage(request, out var skip, out var take, out var problem))
        {
            return problem!;
        }

        var caller = request.HttpContext.Caller();
        var query = request.Query;
        JobStatus? status = null;
        if (query["status"].ToString() is { Length: > 0 } statusText)
        {
            if (!Validation.TryEnum<JobStatus>(statusText, out var parsed))
            {
                return Problems.Field("status", "must be a job status (0–8).");
            }

            status = parsed;
        }

        var robot = await Optional(caller, query["robot"].ToString(), "robot", robots);
        var process = await Optional(caller, query["process"].ToString(), "process", processes);
        if ((robot.Problem ?? process.Problem) is { } missing)
        {
            return missing;
        }

        long? schedule = null;
        if (query["schedule"].ToString() is { Length: > 0 } scheduleText)
        {
            if (!References.TryParse(scheduleText, "schedule", out var guid, out var id, out var badSchedule))
            {
                return badSchedule!;
            }

            // An id is taken as it is, so a deleted trigger's jobs stay listable by it; a GUID names a live trigger of
            // the caller's (none: no job matches).
            schedule = guid == Guid.Empty ? id : await triggers.FindIdAsync(caller.AccountId, guid) ?? 0;
        }

        DateTimeOffset? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateTimeOffset>)[] { ("from", t => from = t), ("to", t => to = t) })
        {
            if (query[name].ToString() is { Length: > 0 } text)
            {
                if (!Times.TryParse(text, out var time))
                {
                    return Problems.Field(name, "must be a date-time (Unix seconds, YYYY-MM-DD HH:MM:SS or ISO 8601).");
                }

                set(time);
            }
        }

        var filter = new JobListFilter(status, robot.Value, process.Value, schedule, from, to, skip, take);
        var rows = await jobs.ListAsync(caller.AccountId, filter);
        return TypedResults.Json(rows.Select(j => JobView.From(j.ToInfo())));
    }

    public static async Task<IResult> Update(HttpRequest request, Resource<IJobGrain> jobs, Resource<IRobotGrain> robots)
    {
        var body = await RequestBody.ReadAsync<JobUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        Guid? robot = null;
        if (!string.IsNullOrWhiteSpace(r.RobotGuid))
        {
            var reference = await robots.ResolveAsync(caller, r.RobotGuid, "RobotGuid");
            if (reference.Problem is not null)
            {
                return reference.Problem;
            }

            robot = reference.Value;
        }

        if (r.Status is not { } status)
        {
            return await jobs.CommandAsync(
                caller, r.Guid, "Guid", job => job.NoteAsync(caller.AccountId, r.Message!, robot),
                ("Message", "The job has ended, or the reporting robot does not hold it."));
        }

        var to = (JobStatus)status;
        return await jobs.CommandAsync(
            caller, r.Guid, "Guid", job => job.TransitionAsync(caller.AccountId, to, r.Message, robot),
            ("Status", $"The job cannot move to {to} from its current status, or the reporting robot does not hold it."));
    }

    public static Task<IResult> Delete(string guid, HttpContext http, Resource<IJobGrain> jobs) =>
        jobs.CommandAsync(
            http.Caller(), guid, "guid", job => job.DeleteAsync(http.Caller().AccountId),
            ("guid", "The job is running; stop or abort it first."));

    private static async Task<Resolution<long?>> Optional<TGrain>(Caller caller, string reference, string field, Resource<TGrain> resource)
        where TGrain : IGrainWithGuidKey
    {
        if (reference.Length == 0)
        {
            return Resolution<long?>.Found(null);
        }

        var resolved = await resource.ResolveIdAsync(caller, reference, field);
        return resolved.Problem is not null ? Resolution<long?>.Fail(resolved.Problem) : Resolution<long?>.Found(resolved.Value);
    }
}
