using Microsoft.AspNetCore.Http;
using Orchestrator.Accounts;
using Orchestrator.Api.Requests;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.Robots;

namespace Orchestrator.Api.Http;

/// <summary>
/// Turns the numeric ids a log line (or the log list's filter) names its robot, job or process version by (API.md §1)
/// into the GUIDs the log stores, each distinct id looked up once per request: a batch of lines from one robot asks
/// once. An id that names nothing of the caller's is a 404, as any reference to nothing.
/// </summary>
public sealed class LogReferenceLookup(Caller caller, Resource<IRobotGrain> robots, Resource<IJobGrain> jobs, Resource<IProcessVersionGrain> versions)
{
    private readonly Dictionary<(string Field, string Id), Guid> _found = [];

    /// <summary>
    /// The GUIDs of the references <paramref name="sent"/> as numeric ids (null for the others, which need no look-up);
    /// the 404 of one that names nothing, its field named with <paramref name="prefix"/> (a batch's <c>[3].</c>).
    /// </summary>
    public async Task<(Guid? Robot, Guid? Job, Guid? Version, IResult? Problem)> ResolveAsync(ILogReferences sent, string prefix)
    {
        var robot = await FindAsync(robots, sent.RobotGUID, prefix, nameof(sent.RobotGUID));
        var job = await FindAsync(jobs, sent.JobGUID, prefix, nameof(sent.JobGUID));
        var version = await FindAsync(versions, sent.ProcessVersionGUID, prefix, nameof(sent.ProcessVersionGUID));
        return (robot.Guid, job.Guid, version.Guid, robot.Problem ?? job.Problem ?? version.Problem);
    }

    /// <summary>The GUID of a reference sent as a numeric id (null for any other), or the 404 when it names nothing.</summary>
    private async Task<(Guid? Guid, IResult? Problem)> FindAsync<TGrain>(Resource<TGrain> resource, string? reference, string prefix, string field)
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
