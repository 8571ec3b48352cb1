using Microsoft.AspNetCore.Builder;

namespace Orchestrator.Api.Http;

public static class RouteHandlerBuilderExtensions
{
    /// <summary>Documents the endpoint's JSON body as <typeparamref name="T"/> without restricting its content type.</summary>
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonBodyAttribute(typeof(T)));
}
