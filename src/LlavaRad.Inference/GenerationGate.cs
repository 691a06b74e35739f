using System.Diagnostics;

namespace LlavaRad.Inference;

/// <summary>
/// One generation on the device at a time, first come first served. A placeholder for the batching scheduler
/// with priorities (inference-node issue); it already frees a waiting slot when the call is cancelled.
/// </summary>
public sealed class GenerationGate
{
    private readonly SemaphoreSlim _device = new(1, 1);

    /// <summary>Runs the work off the request thread; returns its result and how long it queued.</summary>
    public async Task<(T Result, TimeSpan Queued)> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        await _device.WaitAsync(cancellationToken);
        var queued = waiting.Elapsed;
        try
        {
            return (await Task.Run(work, cancellationToken), queued);
        }
        finally
        {
            _device.Release();
        }
    }
}
