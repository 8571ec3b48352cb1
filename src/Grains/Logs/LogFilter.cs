namespace Orchestrator.Logs;

/// <summary>
/// What /api/log/list asks for: the filters, and one keyset cursor. <see cref="Before"/> pages back (ids below it,
/// newest first); <see cref="After"/> follows (ids above it, oldest first); neither is the newest page.
/// </summary>
public sealed record LogFilter(
    Guid? RobotGuid = null,
    Guid? JobGuid = null,
    Guid? ProcessVersionGuid = null,
    int? MinLevel = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Text = null,
    long? Before = null,
    long? After = null,
    int Take = 100);
