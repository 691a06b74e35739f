using Grpc.Core;
using LlavaRad.Contracts;

namespace LlavaRad.Inference.Tests;

public class RetryBackoffTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.DeadlineExceeded, false)]
    [InlineData(StatusCode.Internal, false)]
    [InlineData(StatusCode.Cancelled, false)]
    public void OnlyTransientStatusesAreRetried(StatusCode code, bool retryable) => Assert.Equal(retryable, RetryBackoff.IsRetryable(code));

    [Fact]
    public void AnInternalFromTheClientsOwnTransportIsRetriedButOneTheNodeSentIsNot()
    {
        var transport = new RpcException(new Status(StatusCode.Internal, "the server did not complete the HTTP/2 handshake",
            new HttpRequestException("The HTTP/2 server closed the connection.")));
        var fromNode = new RpcException(new Status(StatusCode.Internal, "internal-error: the node failed"));
        Assert.True(RetryBackoff.IsRetryable(transport));
        Assert.False(RetryBackoff.IsRetryable(fromNode));
    }

    [Fact]
    public void WaitsAreJitteredBelowADoublingStepCappedAtTheMaximum()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), new Random(7));
        var waits = Enumerable.Range(1, 6).Select(attempt => Enumerable.Range(0, 200).Select(_ => backoff.Delay(attempt).TotalMilliseconds).ToList()).ToList();

        double[] steps = [100, 200, 400, 800, 1000, 1000];
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.All(waits[i], w => Assert.InRange(w, 0, steps[i]));
            Assert.True(waits[i].Max() - waits[i].Min() > steps[i] / 2, "waits should spread over the step, not repeat one value");
        }
    }
}
