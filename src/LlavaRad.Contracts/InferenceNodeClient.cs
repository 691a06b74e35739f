using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Contracts;

/// <summary>The worker's view of one GPU inference node, over the generated llavarad.v1 and grpc.health.v1 clients.</summary>
public sealed class InferenceNodeClient : IDisposable
{
    /// <summary>"llavarad.v1.ReportGenerator", the name the node's grpc.health.v1 reports on.</summary>
    public static readonly string ServiceName = ReportGenerator.Descriptor.FullName;
    private readonly GrpcChannel? _ownedChannel;
    private readonly ReportGenerator.ReportGeneratorClient _reports;
    private readonly Health.HealthClient _health;
    private readonly TimeSpan _callTimeout, _generateTimeout;
    private readonly int _maxAttempts;
    private readonly RetryBackoff _backoff;

    /// <summary>Over clients whose channel someone else owns (the worker's Grpc.Net.ClientFactory clients).</summary>
    public InferenceNodeClient(ReportGenerator.ReportGeneratorClient reports, Health.HealthClient health, InferenceNodeClientOptions options)
    {
        _reports = reports;
        _health = health;
        _callTimeout = options.CallTimeout;
        _generateTimeout = options.GenerateTimeout;
        _maxAttempts = Math.Max(1, options.MaxAttempts);
        _backoff = new RetryBackoff(options.InitialBackoff, options.MaxBackoff);
    }

    /// <summary>A one-off client (CLI, tests) on its own channel, closed by <see cref="Dispose"/>.</summary>
    public InferenceNodeClient(InferenceNodeClientOptions options) : this(NodeChannel.Create(options), options) { }

    private InferenceNodeClient(GrpcChannel channel, InferenceNodeClientOptions options)
        : this(new ReportGenerator.ReportGeneratorClient(channel), new Health.HealthClient(channel), options) =>
        _ownedChannel = channel;

    /// <summary>
    /// True when the node reports SERVING for llavarad.v1.ReportGenerator; any failed call means "not serving".
    /// A node that refuses this client's certificate under TLS 1.3 does so after the client's handshake has
    /// finished, so the refusal surfaces either as UNAVAILABLE or, when the connection closes before the server's
    /// HTTP/2 preface, as INTERNAL "the server did not complete the HTTP/2 handshake" (which timing wins varies
    /// with load); a loaded node may also miss Kestrel's TLS handshake timeout while starting.
    /// </summary>
    public async Task<bool> IsServingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await _health.CheckAsync(new HealthCheckRequest { Service = ServiceName },
                deadline: Deadline(), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
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

    public Task<ModelInfo> GetModelInfoAsync(CancellationToken cancellationToken = default) =>
        WithRetriesAsync(deadline => _reports.GetModelInfoAsync(new GetModelInfoRequest(), deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            Deadline(), cancellationToken);

    /// <summary>
    /// Drafts findings within <see cref="InferenceNodeClientOptions.GenerateTimeout"/> (one deadline for all attempts).
    /// UNAVAILABLE (node down, restarting, draining) and RESOURCE_EXHAUSTED (queue full) are retried with jittered
    /// backoff (at least the node's RetryInfo delay), on whichever node the balancer picks; any other status is thrown at once.
    /// </summary>
    public Task<GenerateResponse> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken = default) =>
        WithRetriesAsync(deadline => _reports.GenerateAsync(request, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            DateTime.UtcNow + _generateTimeout, cancellationToken);

    private async Task<T> WithRetriesAsync<T>(Func<DateTime, Task<T>> call, DateTime deadline, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(deadline);
            }
            catch (RpcException e) when (RetryBackoff.IsRetryable(e) && attempt < _maxAttempts)
            {
                var wait = _backoff.Delay(attempt);
                if (NodeError.From(e).RetryDelay is { } asked && asked > wait) wait = asked;
                if (DateTime.UtcNow + wait >= deadline) throw;
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private DateTime Deadline() => DateTime.UtcNow + _callTimeout;

    public void Dispose() => _ownedChannel?.Dispose();
}
