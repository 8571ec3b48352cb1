using Orchestrator.Api.Http;
using Orchestrator.Assets;

namespace Orchestrator.Api.Views;

/// <summary>An asset as /api/asset/read and /api/asset/byName answer it, the password included; <c>expired</c> says a credential's password has expired.</summary>
public sealed record AssetView(
    long id,
    Guid guid,
    string name,
    string description,
    int type,
    string text,
    string? password,
    string? password_expiration,
    bool expired,
    int robot_type,
    long? robot_id,
    long? robot_group_id,
    int is_deleted,
    string created_at,
    string updated_at)
{
    public static AssetView From(AssetInfo a) => new(
        a.Id, a.Guid, a.Name, a.Description, (int)a.Type, a.Text, a.Password,
        a.PasswordExpiration is { } expiration ? JsonFormats.Timestamp(expiration) : null, a.Expired,
        (int)a.RobotType, a.RobotId, a.RobotGroupId, 0, JsonFormats.Timestamp(a.Created), JsonFormats.Timestamp(a.Updated));

    /// <summary>Never the password.</summary>
    public override string ToString() => $"AssetView {{ id = {id}, guid = {guid}, name = {name} }}";
}

/// <summary>An asset as /api/asset/list answers it: every field of <see cref="AssetView"/> but the password, which a list never returns.</summary>
public sealed record AssetListItemView(
    long id,
    Guid guid,
    string name,
    string description,
    int type,
    string text,
    string? password_expiration,
    bool expired,
    int robot_type,
    long? robot_id,
    long? robot_group_id,
    int is_deleted,
    string created_at,
    string updated_at)
{
    public static AssetListItemView From(AssetRecord a, DateTimeOffset now) => new(
        a.Id, a.Guid, a.Name, a.Description, (int)a.Type, a.Text,
        a.PasswordExpiration is { } expiration ? JsonFormats.Timestamp(expiration) : null, a.IsExpired(now),
        (int)a.RobotType, a.RobotId, a.RobotGroupId, 0, JsonFormats.Timestamp(a.Created), JsonFormats.Timestamp(a.Updated));
}
