using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>
/// A request body that checks its own fields. <see cref="RequestBody.ReadAsync{T}"/> runs the check right
/// after reading, so a handler starts from a body whose fields are known to be well-formed.
/// </summary>
public interface IValidatedRequest
{
    /// <summary>The 400 problem naming the first invalid field, or null when every field is fine.</summary>
    IResult? Validate();
}
