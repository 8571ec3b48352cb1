using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Queues;

/// <summary>How queues treat their tasks; bound from <c>Orchestrator:Queues</c>.</summary>
public sealed class QueueOptions
{
    public const string Section = "Orchestrator:Queues";

    /// <summary>A task InProgress for longer than this becomes Abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Largest <c>Parameters</c> or <c>Result</c> of a task, in bytes of JSON; a larger one is answered 413.</summary>
    [Range(16, int.MaxValue)]
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>SQLite: how long a queue keeps its writer connection with no batch of takes or completions.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WriterIdle { get; set; } = TimeSpan.FromSeconds(30);
}
