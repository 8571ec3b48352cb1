using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>The checks process create and update share.</summary>
internal static class ProcessFields
{
    public static IResult? Validate(decimal? minVersionToRun, int? processType)
    {
        if (minVersionToRun is < 0)
        {
            return Problems.Field("MinVersionToRun", "must not be negative.");
        }

        return processType is { } type && !Enum.IsDefined((Processes.ProcessType)type)
            ? Problems.Field("ProcessType", "must be a process type: 0 Process, 1 Package.")
            : null;
    }
}
