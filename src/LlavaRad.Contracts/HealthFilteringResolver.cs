using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlavaRad.Contracts;

/// <summary>
/// A static list of node addresses, published to the channel's round-robin balancer minus the nodes whose
/// grpc.health.v1 status for llavarad.v1.ReportGenerator is not SERVING (loading, draining, down). Probed every
/// interval; when none is SERVING all are published, so calls fail with UNAVAILABLE and the client's retry decides.
/// </summary>
public sealed class HealthFilteringResolver : PollingResolver
{
    private readonly IReadOnlyList<(Uri Address, GrpcChannel Probe)> _nodes;
    private readonly TimeSpan _interval, _probeTimeout;
    private Timer? _timer;

    public HealthFilteringResolver(IReadOnlyList<Uri> addresses, Func<Uri, GrpcChannel> probeChannel, TimeSpan interval, TimeSpan probeTimeout)
        : base(NullLoggerFactory.Instance)
    {
        _nodes = addresses.Select(a => (a, probeChannel(a))).ToList();
        _interval = interval;
        _probeTimeout = probeTimeout;
    }

    /// <summary>The addresses published last (for tests and diagnostics).</summary>
    public IReadOnlyList<Uri> Published { get; private set; } = [];

    protected override void OnStarted()
    {
        base.OnStarted();
        _timer = new Timer(_ => Refresh(), null, _interval, _interval);
    }

    protected override async Task ResolveAsync(CancellationToken cancellationToken)
    {
        var serving = await Task.WhenAll(_nodes.Select(n => IsServingAsync(n.Probe, cancellationToken)));
        var healthy = _nodes.Where((_, i) => serving[i]).Select(n => n.Address).ToList();
        Published = healthy.Count > 0 ? healthy : _nodes.Select(n => n.Address).ToList();
        Listener(ResolverResult.ForResult(Published.Select(a => new BalancerAddress(a.Host, a.Port)).ToList()));
    }

    private async Task<bool> IsServingAsync(GrpcChannel probe, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await new Health.HealthClient(probe).CheckAsync(new HealthCheckRequest { Service = InferenceNodeClient.ServiceName },
                deadline: DateTime.UtcNow + _probeTimeout, cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer?.Dispose();
            foreach (var (_, probe) in _nodes) probe.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>Hands the channel its one <see cref="HealthFilteringResolver"/> for the "nodes" scheme.</summary>
public sealed class HealthFilteringResolverFactory(Func<HealthFilteringResolver> create) : ResolverFactory
{
    public const string Scheme = "nodes";
    public override string Name => Scheme;
    public override Resolver Create(ResolverOptions options) => create();
}
