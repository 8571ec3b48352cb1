using Microsoft.AspNetCore.Http;
using Orchestrator.Accounts;

namespace Orchestrator.Api.Http;

/// <summary>
/// Authenticates every <c>/api</c> call by its <c>Authorization: Bearer</c> key through this silo's
/// <see cref="ApiKeyCache"/>: a cached key costs no database round trip, and no await either.
/// </summary>
public sealed class ApiKeyFilter(ApiKeyCache keys) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    /// <summary>The key a request was made with (its filter has authenticated it).</summary>
    public static string PresentedKey(HttpRequest request) => request.Headers.Authorization.ToString()[Scheme.Length..].Trim();

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return ValueTask.FromResult<object?>(Problems.Unauthorized("Send the API key as 'Authorization: Bearer <key>'."));
        }

        var caller = keys.AuthenticateAsync(header.AsSpan(Scheme.Length).Trim());
        return caller.IsCompletedSuccessfully ? Continue(caller.Result, context, next) : ContinueAsync(caller, context, next);
    }

    private static ValueTask<object?> Continue(Caller? caller, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (caller is null)
        {
            return ValueTask.FromResult<object?>(Problems.Unauthorized("The API key is not valid."));
        }

        context.HttpContext.Items[typeof(Caller)] = caller;
        return next(context);
    }

    private static async ValueTask<object?> ContinueAsync(ValueTask<Caller?> caller, EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await Continue(await caller, context, next);
}
