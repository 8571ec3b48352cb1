using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;

namespace Orchestrator.Api.Requests;

/// <summary>POST /api/queue/create.</summary>
public sealed class QueueCreateRequest : IValidatedRequest
{
    /// <summary>Required; unique among the account's live queues.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>0/1: a second live task of the same name is refused.</summary>
    public string? UniqueTasks { get; set; }

    /// <summary>0/1: a job that ends Failed, Stopped or Aborted fails its InProgress tasks here.</summary>
    public string? AutoChangeStatus { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Unique { get; private set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool AutoChange { get; private set; }

    public IResult? Validate()
    {
        var badUnique = Flags.Optional(UniqueTasks, nameof(UniqueTasks), out var unique);
        var badAuto = Flags.Optional(AutoChangeStatus, nameof(AutoChangeStatus), out var auto);
        Unique = unique ?? false;
        AutoChange = auto ?? false;
        return Validation.Name(Name, nameof(Name)) ?? Validation.Text(Description, nameof(Description)) ?? badUnique ?? badAuto;
    }
}
