using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Accounts;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Assets;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §11: assets (credentials, texts, calendars) and the robots' read by name.</summary>
public static class AssetApi
{
    public static RouteGroupBuilder MapAssetApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/asset").WithTags("Assets");
        api.MapPost("/create", Create).WithName("CreateAsset").WithSummary("Create an asset (a credential's password is stored encrypted)").WithJsonBody<AssetCreateRequest>();
        api.MapGet("/read/{guid}", Read).WithName("ReadAsset").WithSummary("Read an asset, its password included").Produces<AssetView>();
        api.MapGet("/list", List).WithName("ListAssets").WithSummary("List the account's assets, never their passwords (optional skip, take, type)").Produces<AssetListItemView[]>();
        api.MapPut("/update", Update).WithName("UpdateAsset").WithSummary("Update an asset").WithJsonBody<AssetUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteAsset").WithSummary("Delete an asset");
        api.MapGet("/byName/{name}", ByName)
            .WithName("ReadAssetByName")
            .WithSummary("Read the asset of that name as a robot sees it (?robot=GUID or id); 404 when its visibility rule hides it from that robot")
            .Produces<AssetView>();
        return api;
    }

    public static async Task<IResult> Create(
        HttpRequest request, Resource<IAssetGrain> assets, Resource<IRobotGrain> robots, Resource<IRobotGroupGrain> groups)
    {
        var body = await RequestBody.ReadAsync<AssetCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var (robot, group, problem) = await ResolveVisibilityAsync(caller, r, robots, groups);
        if (problem is not null)
        {
            return problem;
        }

        var draft = new AssetDraft(
            caller.AccountId, r.Name!.Trim(), r.Description ?? string.Empty, (AssetType)r.Type!.Value, r.Text, r.Password, r.Expiration,
            VisibilityOf(r, robot, group) ?? AssetVisibility.All, robot, group);
        var guid = Guid.NewGuid();
        var written = await assets.Grain(guid).CreateAsync(draft);
        return written.Result == WriteResult.Done ? TypedResults.Json(CreatedView.Of(guid, written.Id)) : Answer(assets, written);
    }

    public static Task<IResult> Read(string guid, HttpContext http, Resource<IAssetGrain> assets) =>
        assets.ReadAsync(http.Caller(), guid, "guid", asset => asset.GetAsync(http.Caller().AccountId), AssetView.From);

    public static async Task<IResult> List(HttpRequest request, AssetRecords assets, OrchestratorClock clock)
    {
        if (!Paging.TryRead(request, out var paging, out var problem))
        {
            return problem!;
        }

        AssetType? type = null;
        var typeText = request.Query["type"].ToString();
        if (typeText.Length > 0)
        {
            if (!Validation.TryEnum<AssetType>(typeText, out var parsed))
            {
                return Problems.Field("type", "must be an asset type: 1 Credential, 2 Text, 3 Calendar.");
            }

            type = parsed;
        }

        var rows = await assets.ListAsync(request.HttpContext.Caller().AccountId, paging.Skip, paging.Take, type);
        var now = clock.Now;
        return TypedResults.Json(rows.Select(a => AssetListItemView.From(a, now)));
    }

    public static async Task<IResult> Update(
        HttpRequest request, Resource<IAssetGrain> assets, Resource<IRobotGrain> robots, Resource<IRobotGroupGrain> groups)
    {
        var body = await RequestBody.ReadAsync<AssetUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var asset = await assets.ResolveAsync(caller, r.Guid, "Guid");
        if (asset.Problem is not null)
        {
            return asset.Problem;
        }

        var (robot, group, problem) = await ResolveVisibilityAsync(caller, r, robots, groups);
        if (problem is not null)
        {
            return problem;
        }

        var change = new AssetChange(
            r.Name?.Trim(), r.Description, (AssetType?)r.Type, r.Text, r.Password, r.Expiration, r.ClearsExpiration,
            VisibilityOf(r, robot, group), robot, group);
        return Answer(assets, await assets.Grain(asset.Value).UpdateAsync(caller.AccountId, change));
    }

    public static Task<IResult> Delete(string guid, HttpContext http, Resource<IAssetGrain> assets) =>
        assets.CommandAsync(http.Caller(), guid, "guid", asset => asset.DeleteAsync(http.Caller().AccountId));

    /// <summary>
    /// The robots' read: the robot must be the caller's, and the asset's visibility rule must let it see the asset.
    /// Both checks are the account's asset grain's, from memory once it has met the robot and the name.
    /// </summary>
    public static async Task<IResult> ByName(string name, HttpRequest request, AccountAssetsGrains accounts)
    {
        name = PathSegment.Decode(name);
        var caller = request.HttpContext.Caller();
        if (!References.TryParse(request.Query["robot"].ToString(), "robot", out var guid, out var id, out var problem))
        {
            return problem!;
        }

        if (Validation.Name(name, "name") is { } invalid)
        {
            return invalid;
        }

        if (guid == Guid.Empty && id < 1)
        {
            return Problems.NotFound("Robot");
        }

        var read = await accounts.For(caller.AccountId).ReadForRobotAsync(name, new RobotReference(guid, id));
        return read switch
        {
            { RobotFound: false } => Problems.NotFound("Robot"),
            { Asset: { } asset } => TypedResults.Json(AssetView.From(asset)),
            _ => Problems.NotFound("Asset"),
        };
    }

    private static async Task<(long? Robot, long? Group, IResult? Problem)> ResolveVisibilityAsync(
        Caller caller, AssetCreateRequest r, Resource<IRobotGrain> robots, Resource<IRobotGroupGrain> groups)
    {
        long? robot = null;
        long? group = null;
        if (!string.IsNullOrWhiteSpace(r.RobotId))
        {
            var resolved = await robots.ResolveIdAsync(caller, r.RobotId, nameof(r.RobotId));
            if (resolved.Problem is not null)
            {
                return (null, null, resolved.Problem);
            }

            robot = resolved.Value;
        }

        if (!string.IsNullOrWhiteSpace(r.RobotGroupId))
        {
            var resolved = await groups.ResolveIdAsync(caller, r.RobotGroupId, nameof(r.RobotGroupId));
            if (resolved.Problem is not null)
            {
                return (null, null, resolved.Problem);
            }

            group = resolved.Value;
        }

        return (robot, group, null);
    }

    /// <summary>
    /// The visibility sent; without one, a robot (or a group) named is the one that sees the asset: a credential meant
    /// for one robot is not shown to every robot because its RobotType was left out. Null: none sent, none named.
    /// </summary>
    private static AssetVisibility? VisibilityOf(AssetCreateRequest r, long? robot, long? group) =>
        r.RobotType is { } sent ? (AssetVisibility)sent
        : robot is not null ? AssetVisibility.Robot
        : group is not null ? AssetVisibility.Group
        : null;

    private static IResult Answer(Resource<IAssetGrain> assets, AssetWrite written) =>
        written.InvalidField is { } field ? Problems.Field(field, written.InvalidDetail ?? "is invalid.") : assets.Answer(written.Result);
}
