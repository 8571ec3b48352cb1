using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>The documented success answer of updates and deletes: an empty JSON array.</summary>
public static class Empty
{
    public static IResult Ok { get; } = new EmptyArrayResult();
}
