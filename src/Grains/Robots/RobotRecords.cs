using System.Data.Common;
using Microsoft.Extensions.Options;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Robots;

/// <summary>
/// The queries on the <c>robots</c> table. The robot grain is the only caller that writes; its updates (a status that
/// changes with every job a robot takes and ends) share transactions with other robots' (group commit).
/// </summary>
public sealed class RobotRecords(OrchestratorDatabase database, GroupCommit writes, IOptions<RobotOptions> options)
    : RecordTable<RobotRecord>(database, "robots", RobotColumns, "updated_at")
{
    private const string RobotColumns =
        "id, guid, account_id, name, description, machine, ip, mac, version, license_expiration, license_string, " +
        "status, disabled, last_heartbeat_at, created_at, updated_at";

    public override async Task<RobotRecord> InsertAsync(RobotRecord robot) => robot with
    {
        Id = await Database.InsertAsync(
            """
            INSERT INTO robots (guid, account_id, name, description, created_at, updated_at)
            VALUES (@guid, @account, @name, @description, @now, @now)
            RETURNING id
            """,
            ("@guid", robot.Guid),
            ("@account", robot.AccountId),
            ("@name", robot.Name),
            ("@description", robot.Description),
            ("@now", robot.CreatedAt)),
    };

    /// <summary>Writes the whole record: fields an operator edits and the live facts last reported.</summary>
    public override Task<int> UpdateAsync(RobotRecord robot) =>
        writes.ExecuteAsync(
            """
            UPDATE robots SET name = @name, description = @description, machine = @machine, ip = @ip, mac = @mac,
                version = @version, status = @status, disabled = @disabled, last_heartbeat_at = @heartbeat,
                updated_at = @updated
            WHERE id = @id
            """,
            ("@id", robot.Id),
            ("@name", robot.Name),
            ("@description", robot.Description),
            ("@machine", robot.Machine),
            ("@ip", robot.IP),
            ("@mac", robot.MAC),
            ("@version", robot.Version),
            ("@status", robot.Status),
            ("@disabled", robot.Disabled),
            ("@heartbeat", robot.LastHeartbeatAt),
            ("@updated", robot.UpdatedAt));

    /// <summary>The waiting jobs that name this robot as the one they were handed to: normally at most the one it holds.</summary>
    public Task<List<Guid>> UnstartedJobsAsync(long robotId) =>
        Database.QueryAsync(
            "SELECT guid FROM jobs WHERE robot_id = @robot AND status = 0 AND is_deleted = 0",
            r => r.Guid("guid"),
            ("@robot", robotId));

    /// <summary>
    /// Robots whose record shows them live (Available, Busy or Unresponsive), in id order after <paramref name="afterId"/>:
    /// those whose grains must watch their silence, or record the Offline that came while none did.
    /// </summary>
    public Task<List<(long Id, Guid Robot)>> ShownLiveAsync(long afterId, int take) =>
        Database.QueryAsync(
            """
            SELECT id, guid FROM robots
            WHERE id > @after AND is_deleted = 0 AND disabled = 0 AND status IN (1, 2, 3)
            ORDER BY id LIMIT @take
            """,
            r => (r.Long("id"), r.Guid("guid")),
            ("@after", afterId),
            ("@take", take));

    /// <summary>The groups the robot is a member of (live groups only): what it may take group jobs from.</summary>
    public Task<List<long>> GroupIdsAsync(long robotId) =>
        Database.QueryAsync(
            "SELECT m.group_id FROM robot_group_members m JOIN robot_groups g ON g.id = m.group_id WHERE m.robot_id = @robot AND g.is_deleted = 0",
            reader => reader.Long("group_id"),
            ("@robot", robotId));

    /// <summary>
    /// One account's robots in id order. The status filter applies the rule of
    /// <see cref="RobotLiveness.FromRecord"/> in SQL, so paging and filtering agree.
    /// </summary>
    public Task<List<RobotRecord>> ListAsync(long accountId, RobotListFilter filter, DateTimeOffset now)
    {
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM robots r WHERE r.account_id = @account AND r.is_deleted = 0");
        var parameters = new List<(string, object?)> { ("@account", accountId) };
        if (filter.GroupId is { } group)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM robot_group_members m WHERE m.robot_id = r.id AND m.group_id = @group)");
            parameters.Add(("@group", group));
        }

        if (filter.Status is { } status)
        {
            var live = "(r.last_heartbeat_at IS NOT NULL AND r.last_heartbeat_at > @stale)";
            sql.Append(status switch
            {
                RobotStatus.Disabled => " AND r.disabled = 1",
                RobotStatus.Offline => $" AND r.disabled = 0 AND (r.status = 0 OR NOT {live})",
                _ => $" AND r.disabled = 0 AND r.status = @status AND {live}",
            });
            parameters.Add(("@status", status));
            parameters.Add(("@stale", now - options.Value.OfflineAfter - options.Value.HeartbeatPersistInterval));
        }

        sql.Append(" ORDER BY r.id");
        if (filter.Take is { } take)
        {
            sql.Append(" LIMIT @take OFFSET @skip");
            parameters.Add(("@take", take));
            parameters.Add(("@skip", filter.Skip));
        }
        else if (filter.Skip > 0)
        {
            // SQLite has no OFFSET without a LIMIT; -1 there means no bound.
            sql.Append(Database.Kind == DatabaseKind.Sqlite ? " LIMIT -1 OFFSET @skip" : " OFFSET @skip");
            parameters.Add(("@skip", filter.Skip));
        }

        return Database.QueryAsync(sql.ToString(), Map, [.. parameters]);
    }

    protected override RobotRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Text("name"),
        r.Text("description"),
        r.Text("machine"),
        r.Text("ip"),
        r.Text("mac"),
        r.Text("version"),
        r.Long("license_expiration"),
        r.Text("license_string"),
        (RobotStatus)r.Int("status"),
        r.Flag("disabled"),
        r.NullableTime("last_heartbeat_at"),
        r.Time("created_at"),
        r.Time("updated_at"));
}
