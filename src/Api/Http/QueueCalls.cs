using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orchestrator.Queues;

namespace Orchestrator.Api.Http;

/// <summary>
/// Sends the robots' takes and completions of one queue to its grain many in one call: while
/// <see cref="QueueOptions.CallsUnderWay"/> calls to that grain are under way, what is asked meanwhile waits and goes
/// together in the next (as the grain's group commit does with their writes); a request alone is sent at once. Every
/// call of a request, a message to the activation, its turns and its answer, is a step of the one serial station a
/// busy queue has; 64 robots' requests cost a few of them instead of 64. Each request gets its own call's answer or
/// error, and an error of the shared call itself fails each of its requests, as it would have failed each alone.
/// </summary>
public sealed class QueueCalls(Resource<IQueueGrain> queues, IOptions<QueueOptions> options)
{
    private readonly ConcurrentDictionary<(Guid Queue, long Account), Queue> _queues = new();
    private readonly int _underWay = options.Value.CallsUnderWay;
    private long _calls;
    private long _requests;

    /// <summary>Calls made to queues' grains since start; beside <see cref="Requests"/>, lets tests and benchmarks see calls being shared.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Requests those calls carried.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Runs <paramref name="call"/> on the queue's grain for the account, with whatever else is asked of it meanwhile.</summary>
    public Task<QueueCallAnswer> RunAsync(Guid queue, long accountId, QueueCall call)
    {
        while (true)
        {
            var calls = _queues.GetOrAdd((queue, accountId), key => new Queue(this, key, queues.Grain(key.Queue)));
            if (calls.TryRun(call, out var answer))
            {
                return answer;
            }
        }
    }

    private sealed class Queue(QueueCalls owner, (Guid Queue, long Account) key, IQueueGrain grain)
    {
        private readonly Lock _lock = new();
        private List<(QueueCall Call, TaskCompletionSource<QueueCallAnswer> Answer)> _waiting = [];
        private int _underWay;
        private bool _retired;

        /// <summary>False when this queue's entry was retired (idle, and dropped so that idle queues cost no memory): ask again.</summary>
        public bool TryRun(QueueCall call, out Task<QueueCallAnswer> answer)
        {
            var waiting = new TaskCompletionSource<QueueCallAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            answer = waiting.Task;
            lock (_lock)
            {
                if (_retired)
                {
                    return false;
                }

                _waiting.Add((call, waiting));
                if (_underWay >= owner._underWay)
                {
                    return true;
                }

                _underWay++;
            }

            // Sent on the request's own thread: the call's message is on its way before the request's handler awaits it.
            _ = SendAsync();
            return true;
        }

        private async Task SendAsync()
        {
            while (true)
            {
                List<(QueueCall Call, TaskCompletionSource<QueueCallAnswer> Answer)> batch;
                lock (_lock)
                {
                    if (_waiting.Count == 0)
                    {
                        if (--_underWay == 0)
                        {
                            _retired = true;
                            owner._queues.TryRemove(KeyValuePair.Create(key, this));
                        }

                        return;
                    }

                    batch = _waiting;
                    _waiting = [];
                }

                try
                {
                    Interlocked.Increment(ref owner._calls);
                    Interlocked.Add(ref owner._requests, batch.Count);
                    var answers = await grain.RunManyAsync(key.Account, [.. batch.Select(b => b.Call)]);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (answers[i].Error is { } error)
                        {
                            batch[i].Answer.TrySetException(new InvalidOperationException($"The queue's grain failed the request: {error}"));
                        }
                        else
                        {
                            batch[i].Answer.TrySetResult(answers[i]);
                        }
                    }
                }
                catch (Exception e)
                {
                    batch.ForEach(b => b.Answer.TrySetException(e));
                }
            }
        }
    }
}
