using Microsoft.AspNetCore.Http;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Records;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Orchestrator.Api.Http;

/// <summary>
/// One kind of account-owned record as the HTTP API handles it, so that every endpoint module does the same
/// few steps the same way: resolve the reference the client sent (API.md §1: the record's GUID or numeric id,
/// within the caller's account), call the grain that owns the record, and turn its <see cref="WriteResult"/>
/// into the documented answer (<c>[]</c>, 404 naming the kind, 409 naming the field).
/// </summary>
public sealed class Resource<TGrain>(
    string name,
    IRecordLookup lookup,
    IGrainFactory grains,
    GrainInterfaceTypeResolver interfaces,
    GrainInterfaceTypeToGrainTypeResolver implementations)
    where TGrain : IGrainWithGuidKey
{
    // IGrainFactory.GetGrain<T>(Guid) finds T's grain interface type by reading its attributes through
    // reflection on every call (a tenth of a heartbeat's CPU); the two types are looked up once here instead.
    private readonly Lazy<(GrainType Grain, GrainInterfaceType Interface)> _types = new(() =>
    {
        var grainInterface = interfaces.GetGrainInterfaceType(typeof(TGrain));
        return (implementations.GetGrainType(grainInterface), grainInterface);
    });

    /// <summary>The record kind in the words of the API ("Robot group").</summary>
    public string Name { get; } = name;

    /// <summary>The grain that owns the record <paramref name="guid"/>: the same reference <c>GetGrain&lt;TGrain&gt;(guid)</c> makes.</summary>
    public TGrain Grain(Guid guid)
    {
        var (grain, grainInterface) = _types.Value;
        return (TGrain)grains.GetGrain(GrainId.Create(grain, GrainIdKeyExtensions.CreateGuidKey(guid)), grainInterface);
    }

    public IResult NotFound() => Problems.NotFound(Name);

    /// <summary>A GUID is passed through (the grain it names answers 404 when it is not the caller's); a numeric id is looked up.</summary>
    public ValueTask<Resolution<Guid>> ResolveAsync(Caller caller, string? reference, string field) =>
        References.ResolveAsync(reference, field, Name, (lookup, caller.AccountId), static (state, id) => state.lookup.FindGuidAsync(state.AccountId, id));

    /// <summary>The record's numeric id, checked to be a live record of the caller's account.</summary>
    public async Task<Resolution<long>> ResolveIdAsync(Caller caller, string? reference, string field)
    {
        var resolved = await ResolveAsync(caller, reference, field);
        if (resolved.Problem is not null)
        {
            return Resolution<long>.Fail(resolved.Problem);
        }

        return await lookup.FindIdAsync(caller.AccountId, resolved.Value) is { } id
            ? Resolution<long>.Found(id)
            : Resolution<long>.Fail(NotFound());
    }

    /// <summary>Creates a record under a new GUID and answers <paramref name="view"/> of it, or the problem the grain reported.</summary>
    public async Task<IResult> CreateAsync<TView>(Func<TGrain, Task<Created>> create, Func<Guid, long, TView> view, (string Field, string Detail)? conflict = null)
    {
        var guid = Guid.NewGuid();
        var created = await create(Grain(guid));
        return created.Result == WriteResult.Done ? TypedResults.Json(view(guid, created.Id)) : Answer(created.Result, conflict);
    }

    /// <summary>Reads the referenced record through its grain; null from the grain (not the caller's, or gone) is a 404.</summary>
    public async Task<IResult> ReadAsync<TInfo, TView>(
        Caller caller, string? reference, string field, Func<TGrain, Task<TInfo?>> read, Func<TInfo, TView> view)
        where TInfo : class
    {
        var record = await ResolveAsync(caller, reference, field);
        if (record.Problem is not null)
        {
            return record.Problem;
        }

        return await read(Grain(record.Value)) is { } info ? TypedResults.Json(view(info)) : NotFound();
    }

    /// <summary>Runs a command on the referenced record's grain and answers its outcome.</summary>
    /// <param name="conflict">What a <see cref="WriteResult.Conflict"/> means for this command: the field and the detail.</param>
    public async Task<IResult> CommandAsync(
        Caller caller, string? reference, string field, Func<TGrain, Task<WriteResult>> command, (string Field, string Detail)? conflict = null)
    {
        var record = await ResolveAsync(caller, reference, field);
        if (record.Problem is not null)
        {
            return record.Problem;
        }

        return Answer(await command(Grain(record.Value)), conflict);
    }

    /// <summary>The documented answer of a command's outcome.</summary>
    public IResult Answer(WriteResult result, (string Field, string Detail)? conflict = null) => result switch
    {
        WriteResult.Done => Empty.Ok,
        WriteResult.NameTaken => Problems.Conflict("Name", $"{(Name[0] is 'A' or 'E' or 'I' or 'O' or 'U' ? "An" : "A")} {Name.ToLowerInvariant()} with this name already exists in your account."),
        WriteResult.Conflict when conflict is { } c => Problems.Conflict(c.Field, c.Detail),
        WriteResult.Conflict => Problems.Conflict("guid", $"The {Name.ToLowerInvariant()} is in a state that does not allow this."),
        _ => NotFound(),
    };
}
