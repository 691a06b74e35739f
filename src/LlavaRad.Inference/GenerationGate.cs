using Grpc.Core;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Inference;

/// <summary>
/// The device runs one generation at a time; waiting requests are served stat &gt; urgent &gt; routine, with aging
/// (each <see cref="QueueOptions.AgingStep"/> of waiting counts as one level). The queue is bounded: a full queue
/// answers RESOURCE_EXHAUSTED at once, and a cancelled or expired call leaves the queue without running.
/// A stepping stone to the batching scheduler (inference-node issue), which will keep this ordering.
/// </summary>
public sealed class GenerationGate(QueueOptions options, TimeProvider clock)
{
    public const string QueueFull = "queue-full";
    private readonly object _lock = new();
    private readonly List<Waiter> _waiting = [];
    private long _arrivals;
    private bool _busy;

    public int Waiting { get { lock (_lock) return _waiting.Count; } }

    /// <summary>Runs the work when its turn comes; returns its result and how long it queued.</summary>
    public async Task<(T Result, TimeSpan Queued)> RunAsync<T>(Priority priority, Func<T> work, CancellationToken cancellationToken)
    {
        var arrived = clock.GetUtcNow();
        await WaitForTurnAsync(priority, arrived, cancellationToken);
        var queued = clock.GetUtcNow() - arrived;
        try
        {
            return (await Task.Run(work, cancellationToken), queued);
        }
        finally
        {
            Release();
        }
    }

    private Task WaitForTurnAsync(Priority priority, DateTimeOffset arrived, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (!_busy && _waiting.Count == 0)
            {
                _busy = true;
                return Task.CompletedTask;
            }
            if (_waiting.Count >= options.Capacity)
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{QueueFull}: {_waiting.Count} requests are already waiting"));
            waiter = new Waiter(OrderKey(priority, arrived), _arrivals++);
            _waiting.Add(waiter);
        }
        // A call that gives up while waiting leaves the queue; one already handed the device keeps it.
        var registration = cancellationToken.Register(() =>
        {
            bool removed;
            lock (_lock) removed = _waiting.Remove(waiter);
            if (removed) waiter.Turn.TrySetCanceled(cancellationToken);
        });
        return waiter.Turn.Task.ContinueWith(t => { registration.Dispose(); return t; }, TaskScheduler.Default).Unwrap();
    }

    private void Release()
    {
        Waiter? next;
        lock (_lock)
        {
            next = _waiting.OrderBy(w => w.OrderKey).ThenBy(w => w.Arrival).FirstOrDefault();
            if (next is null) _busy = false;
            else _waiting.Remove(next);
        }
        next?.Turn.TrySetResult();
    }

    private long OrderKey(Priority priority, DateTimeOffset arrived)
    {
        var level = priority switch { Priority.Stat => 2, Priority.Urgent => 1, _ => 0 };
        return arrived.UtcTicks - level * options.AgingStep.Ticks;
    }

    private sealed record Waiter(long OrderKey, long Arrival)
    {
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
