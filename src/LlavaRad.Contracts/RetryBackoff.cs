using Grpc.Core;

namespace LlavaRad.Contracts;

/// <summary>
/// Which failures are worth another attempt, and how long to wait first: exponential backoff with full jitter
/// (a random wait up to the current step), so many workers that lost the same node do not return in lockstep.
/// </summary>
public sealed class RetryBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>
    /// UNAVAILABLE: node down, restarting, loading or draining; RESOURCE_EXHAUSTED: its queue is full. Both pass with
    /// time or on another node. Anything else (bad image, deadline, internal error) would fail again the same way.
    /// </summary>
    public static bool IsRetryable(StatusCode code) => code is StatusCode.Unavailable or StatusCode.ResourceExhausted;

    /// <summary>
    /// As <see cref="IsRetryable(StatusCode)"/>, plus INTERNAL raised by the client's own HTTP/2 transport (e.g. "the
    /// server did not complete the HTTP/2 handshake" from a node that closed the connection while stopping or
    /// starting): no answer came from the node, so the call is worth another attempt. An INTERNAL the node sends is not.
    /// </summary>
    public static bool IsRetryable(RpcException e) =>
        IsRetryable(e.StatusCode)
        || (e.StatusCode == StatusCode.Internal && e.Status.DebugException is HttpRequestException or IOException);

    /// <summary>The wait before attempt <paramref name="attempt"/> (1 = the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        var step = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds(_random.NextDouble() * step);
    }
}
