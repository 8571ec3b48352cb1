using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Accounts;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Common;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §14: the caller's own API key. Keys are stored only as hashes, so a key is shown once, when made.</summary>
public static class KeyApi
{
    public static RouteGroupBuilder MapKeyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/key").WithTags("API keys");
        api.MapGet("/", Read).WithName("ReadKey").WithSummary("Which key is in use: login, key prefix, creation time");
        api.MapPut("/", Assign).WithName("AssignKey").WithSummary("Assign a key of your choosing (at least 32 characters); the old one stops working at once").WithJsonBody<KeyAssignRequest>();
        api.MapPost("/refresh", Refresh).WithName("RefreshKey").WithSummary("Replace the key with a new random one, answered once; the old one stops working at once");
        return api;
    }

    public static async Task<IResult> Read(HttpContext http, IGrainFactory grains)
    {
        var info = await grains.GetGrain<IAccountGrain>(http.Caller().AccountGuid).GetAsync();
        return info is null
            ? Problems.NotFound("Account")
            : TypedResults.Json(new { login = info.Login, key_prefix = info.KeyPrefix, created = JsonFormats.Timestamp(info.KeyCreated) });
    }

    public static async Task<IResult> Assign(HttpRequest request, IGrainFactory grains)
    {
        var body = await RequestBody.ReadAsync<KeyAssignRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var key = body.Value!.Key;
        if (string.IsNullOrEmpty(key))
        {
            return Problems.Field("Key", "is required.");
        }

        // Printable ASCII only: anything else may not survive an Authorization header through every proxy,
        // and a key that cannot be sent would lock the account out.
        if (key.Length < ApiKeys.MinimumLength || key.Length > 512 || key.Any(c => c is < '!' or > '~'))
        {
            return Problems.Field("Key", $"must be {ApiKeys.MinimumLength} to 512 printable ASCII characters, without spaces.");
        }

        var result = await grains.GetGrain<IAccountGrain>(request.HttpContext.Caller().AccountGuid).ReplaceKeyAsync(ApiKeys.Hash(key), PresentedKeyHash(request));
        return result switch
        {
            WriteResult.Done => Empty.Ok,
            WriteResult.NameTaken => Problems.Conflict("Key", "Choose another key."),
            WriteResult.Conflict => ReplacedMeanwhile(),
            _ => Problems.NotFound("Account"),
        };
    }

    public static async Task<IResult> Refresh(HttpContext http, IGrainFactory grains)
    {
        var key = ApiKeys.Generate();
        var result = await grains.GetGrain<IAccountGrain>(http.Caller().AccountGuid).ReplaceKeyAsync(ApiKeys.Hash(key), PresentedKeyHash(http.Request));
        return result switch
        {
            WriteResult.Done => TypedResults.Json(new { key }),
            WriteResult.Conflict => ReplacedMeanwhile(),
            _ => Problems.NotFound("Account"),
        };
    }

    private static string PresentedKeyHash(HttpRequest request) => ApiKeys.HashOf(ApiKeyFilter.PresentedKey(request));

    /// <summary>Another request made with the same key replaced it first: this one was made with a key that no longer works.</summary>
    private static IResult ReplacedMeanwhile() => Problems.Unauthorized("The API key was replaced by another request while this one ran.");
}
