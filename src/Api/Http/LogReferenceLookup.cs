using Microsoft.AspNetCore.Http;
using Orchestrator.Accounts;
using Orchestrator.Api.Requests;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.Robots;

namespace Orchestrator.Api.Http;

/// <summary>
/// Turns the numeric ids a log line names its robot, job or process version by (API.md §1) into the GUIDs the log
/// stores, each distinct id looked up once per request: a batch of lines from one robot asks once. An id that names
/// nothing of the caller's is a 404, as any reference to nothing.
/// </summary>
public sealed class LogReferenceLookup(Caller caller, Resource<IRobotGrain> robots, Resource<IJobGrain> jobs, Resource<IProcessVersionGrain> versions)
{
    private readonly Dictionary<(string Field, string Id), Guid> _found = [];

    /// <summary>Fills the GUIDs of <paramref name="line"/>'s id references; the 404 of one that names nothing.</summary>
    public async Task<IResult?> ResolveAsync(LogCreateRequest line, string prefix)
    {
        if (!line.NamesAnId)
        {
            return null;
        }

        var robot = await FindAsync(robots, line.RobotGUID, prefix, nameof(line.RobotGUID));
        var job = await FindAsync(jobs, line.JobGUID, prefix, nameof(line.JobGUID));
        var version = await FindAsync(versions, line.ProcessVersionGUID, prefix, nameof(line.ProcessVersionGUID));
        if ((robot.Problem ?? job.Problem ?? version.Problem) is { } notFound)
        {
            return notFound;
        }

        line.Robot = robot.Guid ?? line.Robot;
        line.Job = job.Guid ?? line.Job;
        line.ProcessVersion = version.Guid ?? line.ProcessVersion;
        return null;
    }

    /// <summary>The GUID of a reference sent as a numeric id (null for any other), or the 404 when it names nothing.</summary>
    public async Task<(Guid? Guid, IResult? Problem)> FindAsync<TGrain>(Resource<TGrain> resource, string? reference, string prefix, string field)
        where TGrain : IGrainWithGuidKey
    {
        if (!LogCreateRequest.IsId(reference))
        {
            return (null, null);
        }

        var key = (field, reference!.Trim());
        if (_found.TryGetValue(key, out var known))
        {
            return (known, null);
        }

        var resolved = await resource.ResolveAsync(caller, reference, prefix + field);
        if (resolved.Problem is not null)
        {
            return (null, resolved.Problem);
        }

        _found[key] = resolved.Value;
        return (resolved.Value, null);
    }
}
