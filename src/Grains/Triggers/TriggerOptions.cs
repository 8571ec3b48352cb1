using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Triggers;

/// <summary>How triggers fire; bound from <c>Orchestrator:Triggers</c>.</summary>
public sealed class TriggerOptions
{
    public const string Section = "Orchestrator:Triggers";

    /// <summary>
    /// An occurrence that fires later than this after its time was missed (no silo ran the trigger then), and is
    /// caught up or skipped by CheckMissedTrigger; one that fires sooner is merely late, and fires. Quartz.NET's
    /// default misfire threshold is the same 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest a trigger's timer waits before it reads the clock again, however far its next occurrence is:
    /// what bounds the effect of a clock that is set, not just running.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ClockCheck { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many triggers of one silo read the database for a fire at once (its preparation, or a fire not prepared):
    /// the bound keeps thousands due together from holding thousands of connections. A prepared fire only writes, in the
    /// group commit, and is bounded by its transaction size instead.
    /// </summary>
    [Range(1, 10_000)]
    public int FireConcurrency { get; set; } = 256;

    /// <summary>
    /// How long before its next occurrence a trigger wakes to prepare the fire: it reads its process's latest version
    /// and activates the grain of the job it will create, so that at the occurrence only the writes are left (the
    /// trigger's compare-and-set, the job's insert) and the dispatcher's notice. Nothing is written before the
    /// occurrence. Zero prepares nothing: the whole fire is done at the occurrence.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan PrepareAhead { get; set; } = TimeSpan.FromSeconds(5);
}
