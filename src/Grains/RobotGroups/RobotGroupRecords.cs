using System.Data.Common;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.RobotGroups;

/// <summary>The queries on <c>robot_groups</c> and <c>robot_group_members</c>. The group grain is the only caller that writes.</summary>
public sealed class RobotGroupRecords(OrchestratorDatabase database)
    : RecordTable<RobotGroupRecord>(database, "robot_groups", "id, guid, account_id, name, description, created, updated", "updated")
{
    public override async Task<RobotGroupRecord> InsertAsync(RobotGroupRecord group) => group with
    {
        Id = await Database.InsertAsync(
            """
            INSERT INTO robot_groups (guid, account_id, name, description, created, updated)
            VALUES (@guid, @account, @name, @description, @now, @now)
            RETURNING id
            """,
            ("@guid", group.Guid),
            ("@account", group.AccountId),
            ("@name", group.Name),
            ("@description", group.Description),
            ("@now", group.Created)),
    };

    public override Task<int> UpdateAsync(RobotGroupRecord group) =>
        Database.ExecuteAsync(
            "UPDATE robot_groups SET name = @name, description = @description, updated = @updated WHERE id = @id",
            ("@id", group.Id),
            ("@name", group.Name),
            ("@description", group.Description),
            ("@updated", group.Updated));

    /// <summary>The GUIDs of the group's members that are still live robots, in the order they were created.</summary>
    public Task<List<Guid>> MemberGuidsAsync(long groupId) =>
        Database.QueryAsync(
            """
            SELECT r.guid FROM robot_group_members m JOIN robots r ON r.id = m.robot_id
            WHERE m.group_id = @group AND r.is_deleted = 0 ORDER BY r.id
            """,
            reader => reader.Guid("guid"),
            ("@group", groupId));

    /// <summary>Adds a member; adding one that is already there changes nothing.</summary>
    public Task<int> AddMemberAsync(long groupId, long robotId) =>
        Database.ExecuteAsync(
            "INSERT INTO robot_group_members (group_id, robot_id) VALUES (@group, @robot) ON CONFLICT (group_id, robot_id) DO NOTHING",
            ("@group", groupId),
            ("@robot", robotId));

    public Task<int> RemoveMemberAsync(long groupId, long robotId) =>
        Database.ExecuteAsync(
            "DELETE FROM robot_group_members WHERE group_id = @group AND robot_id = @robot",
            ("@group", groupId),
            ("@robot", robotId));

    /// <summary>One account's groups in id order, each with its live members.</summary>
    public async Task<List<(RobotGroupRecord Group, List<Guid> Robots)>> ListAsync(long accountId, int skip, int? take)
    {
        var groups = await Database.QueryAsync(
            $"SELECT {Columns} FROM robot_groups WHERE account_id = @account AND is_deleted = 0 ORDER BY id LIMIT @take OFFSET @skip",
            Map,
            ("@account", accountId),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));
        if (groups.Count == 0)
        {
            return [];
        }

        var members = await Database.QueryAsync(
            """
            SELECT m.group_id, r.guid FROM robot_group_members m
            JOIN robot_groups g ON g.id = m.group_id
            JOIN robots r ON r.id = m.robot_id
            WHERE g.account_id = @account AND g.is_deleted = 0 AND r.is_deleted = 0 AND m.group_id BETWEEN @first AND @last
            ORDER BY r.id
            """,
            reader => (Group: reader.Long("group_id"), Robot: reader.Guid("guid")),
            ("@account", accountId),
            ("@first", groups[0].Id),
            ("@last", groups[^1].Id));
        var byGroup = members.ToLookup(m => m.Group, m => m.Robot);
        return groups.Select(g => (g, byGroup[g.Id].ToList())).ToList();
    }

    protected override RobotGroupRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Text("name"),
        r.Text("description"),
        r.Time("created"),
        r.Time("updated"));
}
