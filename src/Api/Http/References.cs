using System.Globalization;
using Orchestrator.Accounts;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;

namespace Orchestrator.Api.Http;

/// <summary>
/// Resolves the references a client sends (API.md §1: an entity's GUID or its numeric id) within the caller's
/// account. A GUID is passed through: the grain it names answers 404 when it is not the caller's.
/// </summary>
public sealed class References(RobotRecords robots, RobotGroupRecords groups)
{
    public Task<Resolution<Guid>> RobotAsync(Caller caller, string? text, string field) =>
        ResolveAsync(text, field, "Robot", id => robots.FindGuidAsync(caller.AccountId, id));

    public Task<Resolution<Guid>> RobotGroupAsync(Caller caller, string? text, string field) =>
        ResolveAsync(text, field, "Robot group", id => groups.FindGuidAsync(caller.AccountId, id));

    /// <summary>A robot's numeric id, checked to be a live robot of the caller's account.</summary>
    public async Task<Resolution<long>> RobotIdAsync(Caller caller, string? text, string field) =>
        await IdOf(await RobotAsync(caller, text, field), guid => robots.FindIdAsync(caller.AccountId, guid), "Robot");

    /// <summary>A robot group's numeric id, checked to be a live group of the caller's account.</summary>
    public async Task<Resolution<long>> RobotGroupIdAsync(Caller caller, string? text, string field) =>
        await IdOf(await RobotGroupAsync(caller, text, field), guid => groups.FindIdAsync(caller.AccountId, guid), "Robot group");

    /// <summary>Parses a GUID, or a positive numeric id that <paramref name="findById"/> turns into one.</summary>
    public static async Task<Resolution<Guid>> ResolveAsync(string? text, string field, string what, Func<long, Task<Guid?>> findById)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Resolution<Guid>.Fail(Problems.Field(field, "is required."));
        }

        text = text.Trim();
        if (Guid.TryParse(text, out var guid))
        {
            return Resolution<Guid>.Found(guid);
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return await findById(id) is { } found
                ? Resolution<Guid>.Found(found)
                : Resolution<Guid>.Fail(Problems.NotFound(what));
        }

        return Resolution<Guid>.Fail(Problems.Field(field, "must be a GUID or a numeric id."));
    }

    private static async Task<Resolution<long>> IdOf(Resolution<Guid> entity, Func<Guid, Task<long?>> findId, string what)
    {
        if (entity.Problem is not null)
        {
            return Resolution<long>.Fail(entity.Problem);
        }

        return await findId(entity.Value) is { } id
            ? Resolution<long>.Found(id)
            : Resolution<long>.Fail(Problems.NotFound(what));
    }
}
