using System.Data.Common;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Assets;

/// <summary>The queries on <c>assets</c>. The asset grain is the only caller that writes.</summary>
public sealed class AssetRecords(OrchestratorDatabase database)
    : RecordTable<AssetRecord>(
        database,
        "assets",
        "id, guid, account_id, name, description, type, text, password_cipher, password_expiration, robot_type, robot_id, robot_group_id, created_at, updated_at",
        "updated_at")
{
    public override async Task<AssetRecord> InsertAsync(AssetRecord asset) => asset with
    {
        Id = await Database.InsertAsync(
            """
            INSERT INTO assets (guid, account_id, name, description, type, text, password_cipher, password_expiration,
                                robot_type, robot_id, robot_group_id, created_at, updated_at)
            VALUES (@guid, @account, @name, @description, @type, @text, @cipher, @expiration, @robotType, @robot, @group, @now, @now)
            RETURNING id
            """,
            [("@guid", asset.Guid), ("@account", asset.AccountId), ("@now", asset.Created), .. Fields(asset)]),
    };

    public override Task<int> UpdateAsync(AssetRecord asset) =>
        Database.ExecuteAsync(
            """
            UPDATE assets SET name = @name, description = @description, type = @type, text = @text, password_cipher = @cipher,
                password_expiration = @expiration, robot_type = @robotType, robot_id = @robot, robot_group_id = @group, updated_at = @updated
            WHERE id = @id
            """,
            [("@id", asset.Id), ("@updated", asset.Updated), .. Fields(asset)]);

    /// <summary>The live asset of that name in the account, or null.</summary>
    public Task<AssetRecord?> FindByNameAsync(long accountId, string name) =>
        Database.QuerySingleAsync(
            $"SELECT {Columns} FROM assets WHERE account_id = @account AND name = @name AND is_deleted = 0", Map, ("@account", accountId), ("@name", name));

    /// <summary>True when the robot is a member of the live group.</summary>
    public async Task<bool> IsMemberAsync(long groupId, long robotId) =>
        await Database.ScalarAsync(
            """
            SELECT 1 FROM robot_group_members m JOIN robot_groups g ON g.id = m.group_id
            WHERE m.group_id = @group AND m.robot_id = @robot AND g.is_deleted = 0
            """,
            ("@group", groupId),
            ("@robot", robotId)) is not null;

    /// <summary>One account's live assets in id order, of one type when <paramref name="type"/> is given.</summary>
    public Task<List<AssetRecord>> ListAsync(long accountId, int skip, int? take, AssetType? type) =>
        Database.QueryAsync(
            $"""
            SELECT {Columns} FROM assets WHERE account_id = @account AND is_deleted = 0{(type is null ? "" : " AND type = @type")}
            ORDER BY id LIMIT @take OFFSET @skip
            """,
            Map,
            ("@account", accountId),
            ("@type", (int)(type ?? 0)),
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));

    protected override AssetRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Text("name"),
        r.Text("description"),
        (AssetType)r.Int("type"),
        r.Text("text"),
        r["password_cipher"] as string,
        r.NullableTime("password_expiration"),
        (AssetVisibility)r.Int("robot_type"),
        NullableLong(r, "robot_id"),
        NullableLong(r, "robot_group_id"),
        r.Time("created_at"),
        r.Time("updated_at"));

    private static (string, object?)[] Fields(AssetRecord a) =>
    [
        ("@name", a.Name),
        ("@description", a.Description),
        ("@type", (int)a.Type),
        ("@text", a.Text),
        ("@cipher", a.PasswordCipher),
        ("@expiration", a.PasswordExpiration),
        ("@robotType", (int)a.RobotType),
        ("@robot", a.RobotId),
        ("@group", a.RobotGroupId),
    ];

    private static long? NullableLong(DbDataReader r, string column) => r[column] is null or DBNull ? null : Convert.ToInt64(r[column]);
}
