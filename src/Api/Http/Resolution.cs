using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>A reference resolved to a record, or the 4xx problem that says why it could not be.</summary>
public readonly record struct Resolution<T>(T Value, IResult? Problem)
{
    public static Resolution<T> Found(T value) => new(value, null);

    public static Resolution<T> Fail(IResult problem) => new(default!, problem);
}
