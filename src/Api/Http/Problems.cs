using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Http;

/// <summary>RFC 7807 answers that name what was wrong (API.md §1).</summary>
public static class Problems
{
    /// <summary>400: one field of the request is missing or invalid.</summary>
    public static IResult Field(string field, string detail) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [detail] },
            detail: $"{field}: {detail}",
            title: $"The request field '{field}' is invalid.");

    public static IResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found.", detail: $"No {what.ToLowerInvariant()} with that reference exists in your account.");

    /// <summary>404 for a reference in the body, named by <paramref name="field"/>, to nothing in the caller's account.</summary>
    public static IResult NotFound(string what, string field) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: $"{what} not found.",
            detail: $"{field}: no {what.ToLowerInvariant()} with that reference exists in your account.",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>409: the request conflicts with the stored state; <paramref name="field"/> names the clashing field.</summary>
    public static IResult Conflict(string field, string detail) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: $"Conflict on '{field}'.",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.", detail: detail);

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: detail);

    public static IResult TooLarge(long limit) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The request body is too large.",
            detail: $"body: at most {limit} bytes are accepted.",
            extensions: new Dictionary<string, object?> { ["field"] = "body" });

    /// <summary>413: one field of the request is larger than its configured limit.</summary>
    public static IResult FieldTooLarge(string field, long limit) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: $"The request field '{field}' is too large.",
            detail: $"{field}: at most {limit} bytes are accepted.",
            extensions: new Dictionary<string, object?> { ["field"] = field });
}
