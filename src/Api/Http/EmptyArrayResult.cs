using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>
/// <c>[]</c> as <c>TypedResults.Json</c> answers an empty array, written as the two bytes it always is: every task
/// completion answers it, and the serializer's general path cost more than the answer.
/// </summary>
public sealed class EmptyArrayResult : IResult
{
    private static readonly ReadOnlyMemory<byte> Bytes = "[]"u8.ToArray();

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        return response.BodyWriter.WriteAsync(Bytes, httpContext.RequestAborted).AsTask();
    }
}
