using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>DELETE /api/log/purge.</summary>
public sealed class LogPurgeRequest : IValidatedRequest
{
    /// <summary>Required: lines created before this time go (Unix seconds, or a time).</summary>
    public string? Time { get; set; }

    [JsonIgnore]
    public DateTimeOffset Before { get; private set; }

    public IResult? Validate()
    {
        if (string.IsNullOrWhiteSpace(Time))
        {
            return Problems.Field(nameof(Time), "is required (Unix seconds).");
        }

        if (!Times.TryParse(Time, out var before))
        {
            return Problems.Field(nameof(Time), Times.MustBe);
        }

        Before = before;
        return null;
    }
}
