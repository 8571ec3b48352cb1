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

    /// <summary>
    /// The live robot of the account named by <paramref name="robot"/> and the live groups it is a member of, in one
    /// query (a row per membership), or null when the account has no such robot.
    /// </summary>
    public async Task<AssetReader?> FindReaderAsync(long accountId, RobotReference robot)
    {
        var rows = await Database.QueryAsync(
            $"""
            SELECT r.id, r.guid, g.id AS group_id FROM robots r
            LEFT JOIN robot_group_members m ON m.robot_id = r.id
            LEFT JOIN robot_groups g ON g.id = m.group_id AND g.is_deleted = 0
            WHERE {(robot.Guid == Guid.Empty ? "r.id = @id" : "r.guid = @guid")} AND r.account_id = @account AND r.is_deleted = 0
            """,
            r => (Id: r.Long("id"), Guid: r.Guid("guid"), Group: r.NullableLong("group_id")),
            ("@account", accountId),
            ("@guid", robot.Guid),
            ("@id", robot.Id));
        return rows.Count == 0
            ? null
            : new AssetReader(rows[0].Id, rows[0].Guid, [.. rows.Where(row => row.Group is not null).Select(row => row.Group!.Value).Distinct()]);
    }

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
        r.NullableText("password_cipher"),
        r.NullableTime("password_expiration"),
        (AssetVisibility)r.Int("robot_type"),
        r.NullableLong("robot_id"),
        r.NullableLong("robot_group_id"),
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
}
