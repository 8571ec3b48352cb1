using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Jobs;

/// <summary>How jobs are started and stopped; bound from <c>Orchestrator:Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string Section = "Orchestrator:Jobs";

    /// <summary>A leased job whose robot has not reported Running within this time is released and waits again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A job asked to stop (by its StopAfter or an operator) that is still running this long after is aborted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AbortGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An idle robot asks its dispatcher for work at least this often, even without being woken; a leased robot
    /// checks its lease with its job as often.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdleRecheck { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// For tests only, zero (off) unless set: how long a job waits, after the commit of its terminal status, before it
    /// handles its end, so that a test can kill the silo in between.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan TestingDelayBeforeEndHandling { get; set; } = TimeSpan.Zero;
}
