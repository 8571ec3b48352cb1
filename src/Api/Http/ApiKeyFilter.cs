using Microsoft.AspNetCore.Http;
using Orchestrator.Accounts;

namespace Orchestrator.Api.Http;

/// <summary>
/// Authenticates every <c>/api</c> call by its <c>Authorization: Bearer</c> key through this silo's
/// <see cref="ApiKeyCache"/>: a cached key costs no database round trip.
/// </summary>
public sealed class ApiKeyFilter(ApiKeyCache keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
        {
            return Problems.Unauthorized("Send the API key as 'Authorization: Bearer <key>'.");
        }

        var caller = await keys.AuthenticateAsync(header.AsSpan(scheme.Length).Trim());
        if (caller is null)
        {
            return Problems.Unauthorized("The API key is not valid.");
        }

        http.Items[typeof(Caller)] = caller;
        return await next(context);
    }
}
