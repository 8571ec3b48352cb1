namespace Orchestrator.Api.Http;

/// <summary>The 0/1 switches of the vendor document, which clients also send as <c>true</c>/<c>false</c> or strings.</summary>
public static class Flags
{
    public static Microsoft.AspNetCore.Http.IResult? Optional(string? text, string field, out bool? flag)
    {
        flag = null;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "0" or "false":
                flag = false;
                return null;
            case "1" or "true":
                flag = true;
                return null;
            default:
                return Problems.Field(field, "must be 0 or 1.");
        }
    }
}
