using Orchestrator.Common;
using Orleans.Concurrency;

namespace Orchestrator.Triggers;

/// <summary>
/// One trigger: the only writer of its record, and the one place its occurrences are fired from. A reminder brings
/// it back after a failure; a grain timer fires each occurrence on its second. Keyed by the trigger's GUID; a trigger
/// of another account answers as if it did not exist.
/// </summary>
[Alias("orchestrator.trigger")]
public interface ITriggerGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<Created> CreateAsync(long accountId, TriggerDefinition definition);

    [Alias("get"), ReadOnly]
    Task<TriggerInfo?> GetAsync(long accountId);

    /// <summary>
    /// Changes the fields the change names, on the definition the grain holds (so concurrent updates of different fields
    /// all stay); the next occurrence follows the result, and occurrences before now are not caught up.
    /// </summary>
    [Alias("update-change")]
    Task<TriggerWrite> UpdateAsync(long accountId, TriggerChange change);

    /// <summary>Soft-deletes the trigger: it fires nothing more; jobs it created carry on.</summary>
    [Alias("delete")]
    Task<WriteResult> DeleteAsync(long accountId);

    /// <summary>Brings the trigger up to date with the clock (fires what is due, arms its timer); idempotent.</summary>
    [Alias("wake")]
    Task WakeAsync();

    /// <summary>
    /// The occurrence the trigger has prepared its next fire for (see <c>TriggerOptions.PrepareAhead</c>), or null:
    /// lets tests and diagnostics see a preparation, which writes nothing.
    /// </summary>
    [Alias("prepared-for"), ReadOnly]
    Task<DateTimeOffset?> PreparedForAsync();

    /// <summary>
    /// What the trigger's next job would run changed: its process gained or lost a version or was deleted, or the robot
    /// or group it is aimed at was deleted. A fire prepared ahead of its occurrence looks again when it comes, so that
    /// it runs the version that is latest then, or skips the occurrence when nothing can run it; a continuous trigger
    /// that waited for a version looks again at once.
    /// </summary>
    [Alias("process-changed")]
    Task NextJobChangedAsync();

    /// <summary>
    /// The trigger's Calendar asset changed (its dates, its type, or it was deleted): the trigger plans with it from
    /// now on. Occurrences that passed on dates it skipped stay skipped, as after an update of the trigger itself.
    /// </summary>
    [Alias("calendar-changed")]
    Task CalendarChangedAsync();
}
