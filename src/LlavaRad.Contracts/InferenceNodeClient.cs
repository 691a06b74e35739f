using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Contracts;

/// <summary>The worker's view of one GPU inference node, over the generated llavarad.v1 and grpc.health.v1 clients.</summary>
public sealed class InferenceNodeClient : IDisposable
{
    private static readonly string ServiceName = ReportGenerator.Descriptor.FullName;
    private readonly GrpcChannel _channel;
    private readonly ReportGenerator.ReportGeneratorClient _reports;
    private readonly Health.HealthClient _health;
    private readonly TimeSpan _callTimeout;

    public InferenceNodeClient(InferenceNodeClientOptions options)
    {
        _channel = NodeChannel.Create(options);
        _reports = new ReportGenerator.ReportGeneratorClient(_channel);
        _health = new Health.HealthClient(_channel);
        _callTimeout = options.CallTimeout;
    }

    /// <summary>True when the node reports SERVING for llavarad.v1.ReportGenerator.</summary>
    public async Task<bool> IsServingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await _health.CheckAsync(new HealthCheckRequest { Service = ServiceName },
                deadline: Deadline(), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Polls health until SERVING or the timeout passes.</summary>
    public async Task<bool> WaitUntilServingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await IsServingAsync(cancellationToken)) return true;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        return false;
    }

    public async Task<ModelInfo> GetModelInfoAsync(CancellationToken cancellationToken = default) =>
        await _reports.GetModelInfoAsync(new GetModelInfoRequest(), deadline: Deadline(), cancellationToken: cancellationToken);

    private DateTime Deadline() => DateTime.UtcNow + _callTimeout;

    public void Dispose() => _channel.Dispose();
}
