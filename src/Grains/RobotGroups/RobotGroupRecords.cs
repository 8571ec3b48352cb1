using System.Data.Common;
using Orchestrator.Storage;

namespace Orchestrator.RobotGroups;

/// <summary>The queries on <c>robot_groups</c> and <c>robot_group_members</c>. The group grain is the only caller that writes.</summary>
public sealed class RobotGroupRecords(OrchestratorDatabase database)
{
    private const string Columns = "id, guid, account_id, name, description, created, updated";

    public Task<RobotGroupRecord?> FindAsync(Guid guid) =>
        database.QuerySingleAsync(
            $"SELECT {Columns} FROM robot_groups WHERE guid = @guid AND is_deleted = 0",
            Map,
            ("@guid", guid));

    public Task<long> InsertAsync(RobotGroupRecord group) =>
        database.InsertAsync(
            """
            INSERT INTO robot_groups (guid, account_id, name, description, created, updated)
            VALUES (@guid, @account, @name, @description, @now, @now)
            RETURNING id
            """,
            ("@guid", group.Guid),
            ("@account", group.AccountId),
            ("@name", group.Name),
            ("@description", group.Description),
            ("@now", group.Created));

    public Task<int> UpdateAsync(RobotGroupRecord group) =>
        database.ExecuteAsync(
            "UPDATE robot_groups SET name = @name, description = @description, updated = @updated WHERE id = @id",
            ("@id", group.Id),
            ("@name", group.Name),
            ("@description", group.Description),
            ("@updated", group.Updated));

    public Task<int> SoftDeleteAsync(long id, DateTimeOffset now) =>
        database.ExecuteAsync(
            "UPDATE robot_groups SET is_deleted = 1, updated = @now WHERE id = @id",
            ("@id", id),
            ("@now", now));

    /// <summary>The GUIDs of the group's members that are still live robots, in the order they were created.</summary>
    public Task<List<Guid>> MemberGuidsAsync(long groupId) =>
        database.QueryAsync(
            """
            SELECT r.guid FROM robot_group_members m JOIN robots r ON r.id = m.robot_id
            WHERE m.group_id = @group AND r.is_deleted = 0 ORDER BY r.id
            """,
            reader => reader.Guid("guid"),
            ("@group", groupId));

    /// <summary>Adds a member; adding one that is already there changes nothing.</summary>
    public Task<int> AddMemberAsync(long groupId, long robotId) =>
        database.ExecuteAsync(
            "INSERT INTO robot_group_members (group_id, robot_id) VALUES (@group, @robot) ON CONFLICT (group_id, robot_id) DO NOTHING",
            ("@group", groupId),
            ("@robot", robotId));

    public Task<int> RemoveMemberAsync(long groupId, long robotId) =>
        database.ExecuteAsync(
            "DELETE FROM robot_group_members WHERE group_id = @group AND robot_id = @robot",
            ("@group", groupId),
            ("@robot", robotId));

    public Task<Guid?> FindGuidAsync(long accountId, long id) =>
        database.QueryGuidAsync(
            "SELECT guid FROM robot_groups WHERE id = @id AND account_id = @account AND is_deleted = 0",
            ("@id", id),
            ("@account", accountId));

    public Task<long?> FindIdAsync(long accountId, Guid guid) =>
        database.ScalarAsync(
            "SELECT id FROM robot_groups WHERE guid = @guid AND account_id = @account AND is_deleted = 0",
            ("@guid", guid),
            ("@account", accountId));

    /// <summary>One account's groups in id order, each with its live members.</summary>
    public async Task<List<(RobotGroupRecord Group, List<Guid> Robots)>> ListAsync(long accountId, int skip, int? take)
    {
        var groups = await database.QueryAsync(
            $"SELECT {Columns} FROM robot_groups WHERE account_id = @account AND is_deleted = 0 ORDER BY id LIMIT @take OFFSET @skip",
            Map,
            ("@account", accountId),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));
        if (groups.Count == 0)
        {
            return [];
        }

        var members = await database.QueryAsync(
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

    private static RobotGroupRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Text("name"),
        r.Text("description"),
        r.Time("created"),
        r.Time("updated"));
}
