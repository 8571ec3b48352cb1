using Microsoft.AspNetCore.Http;
using Orchestrator.Accounts;

namespace Orchestrator.Api.Http;

public static class HttpContextExtensions
{
    /// <summary>The account whose key authenticated this request (set by <see cref="ApiKeyFilter"/>).</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException("The endpoint is not behind the API key filter.");
}
