using Orchestrator.Api.Http;
using Orchestrator.RobotGroups;

namespace Orchestrator.Api.Views;

/// <summary>A robot group as /api/robotGroup/read answers it, with its member robots' GUIDs.</summary>
public sealed record RobotGroupView(
    long id,
    Guid guid,
    string name,
    string description,
    string created,
    string updated,
    int is_deleted,
    long account_id,
    IReadOnlyList<Guid> robots)
{
    public static RobotGroupView From(RobotGroupInfo g) => From(
        new RobotGroupRecord(g.Id, g.Guid, g.AccountId, g.Name, g.Description, g.Created, g.Updated), g.Robots);

    public static RobotGroupView From(RobotGroupRecord g, IReadOnlyList<Guid> robots) => new(
        g.Id, g.Guid, g.Name, g.Description, JsonFormats.Timestamp(g.Created), JsonFormats.Timestamp(g.Updated), 0, g.AccountId, robots);
}
