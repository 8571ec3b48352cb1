namespace Orchestrator.Hosting;

/// <summary>
/// The time the orchestrator's own logic reads (liveness windows, record timestamps). It wraps a
/// <see cref="TimeProvider"/> instead of registering one, so that a test can move the orchestrator's clock
/// without moving the clock Orleans' membership and messaging run on.
/// </summary>
public sealed class OrchestratorClock(TimeProvider time)
{
    public static OrchestratorClock System { get; } = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    /// <summary>Now, truncated to milliseconds: the precision records are stored with.</summary>
    public DateTimeOffset Now
    {
        get
        {
            var now = Time.GetUtcNow();
            return DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        }
    }
}
