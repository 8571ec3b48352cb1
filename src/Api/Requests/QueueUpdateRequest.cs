using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Http;
using Orchestrator.Queues;

namespace Orchestrator.Api.Requests;

/// <summary>PUT /api/queue/update.</summary>
public sealed class QueueUpdateRequest : IValidatedRequest
{
    /// <summary>Required: the queue's GUID, numeric id or name.</summary>
    public string? Guid { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? UniqueTasks { get; set; }

    public string? AutoChangeStatus { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public QueueChange Change { get; private set; } = new(null, null, null, null);

    public IResult? Validate()
    {
        var badUnique = Flags.Optional(UniqueTasks, nameof(UniqueTasks), out var unique);
        var badAuto = Flags.Optional(AutoChangeStatus, nameof(AutoChangeStatus), out var auto);
        Change = new QueueChange(Name?.Trim(), Description, unique, auto);
        return Validation.Required(Guid, nameof(Guid))
            ?? (Name is null ? null : Validation.Name(Name, nameof(Name)))
            ?? Validation.Text(Description, nameof(Description))
            ?? badUnique
            ?? badAuto;
    }
}
