using System.Collections.Concurrent;

namespace Orchestrator.Jobs;

/// <summary>
/// Tells an account's dispatcher about new waiting jobs, many in one call: the jobs created while the previous call to
/// that dispatcher was under way go together in the next (as the group commit does with writes). Thousands of jobs
/// created in the same second (triggers due together) make a few dozen calls, not thousands, and the dispatcher's
/// mailbox does not fill with them ahead of the robots asking for work. A notice completes once the dispatcher has the
/// job, as a call of its own would.
/// </summary>
public sealed class DispatchNotices(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<long, Account> _accounts = new();
    private long _calls;

    /// <summary>Calls made to dispatchers since start; lets tests and benchmarks see notices being shared.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public Task EnqueueAsync(long accountId, PendingJob job) =>
        _accounts.GetOrAdd(accountId, id => new Account(this, grains.GetGrain<IJobDispatcherGrain>(id))).EnqueueAsync(job);

    private sealed class Account(DispatchNotices owner, IJobDispatcherGrain dispatcher)
    {
        private readonly Lock _lock = new();
        private List<(PendingJob Job, TaskCompletionSource Done)> _queued = [];
        private bool _sending;

        public Task EnqueueAsync(PendingJob job)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _queued.Add((job, done));
                if (_sending)
                {
                    return done.Task;
                }

                _sending = true;
            }

            // Sent from outside the caller's grain, so that no grain's turn carries other grains' notices.
            _ = Task.Run(SendAsync);
            return done.Task;
        }

        private async Task SendAsync()
        {
            while (true)
            {
                List<(PendingJob Job, TaskCompletionSource Done)> batch;
                lock (_lock)
                {
                    if (_queued.Count == 0)
                    {
                        _sending = false;
                        return;
                    }

                    batch = _queued;
                    _queued = [];
                }

                try
                {
                    Interlocked.Increment(ref owner._calls);
                    await dispatcher.EnqueueManyAsync([.. batch.Select(b => b.Job)]);
                    batch.ForEach(b => b.Done.TrySetResult());
                }
                catch (Exception e)
                {
                    batch.ForEach(b => b.Done.TrySetException(e));
                }
            }
        }
    }
}
