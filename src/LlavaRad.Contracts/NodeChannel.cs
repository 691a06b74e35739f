using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

namespace LlavaRad.Contracts;

/// <summary>
/// The HTTP/2 channel to the node(s): TLS trust and client certificate from options, message limits sized for
/// full-resolution radiographs, and with several addresses round-robin over the nodes that report SERVING.
/// Retries are not configured here: <see cref="InferenceNodeClient"/> retries per call within its deadline.
/// The worker builds its channels through Grpc.Net.ClientFactory from the same three pieces
/// (<see cref="Target"/>, <see cref="Handler"/>, <see cref="Configure"/>); <see cref="Create"/> is for one-off clients.
/// </summary>
public static class NodeChannel
{
    public static GrpcChannel Create(InferenceNodeClientOptions options)
    {
        var channelOptions = new GrpcChannelOptions { HttpHandler = Handler(options), DisposeHttpClient = true };
        Configure(channelOptions, options);
        return GrpcChannel.ForAddress(Target(options), channelOptions);
    }

    /// <summary>The node's address, or with several addresses the health-filtering resolver's target.</summary>
    public static Uri Target(InferenceNodeClientOptions options)
    {
        if (options.Addresses.Count == 0) return options.Address;
        SecureScheme(options);
        return new Uri($"{HealthFilteringResolverFactory.Scheme}:///llavarad-nodes");
    }

    /// <summary>
    /// Everything but the handler: message limits, reconnect backoff and, with several addresses, the credentials,
    /// the resolver and the round-robin balancer.
    /// </summary>
    public static void Configure(GrpcChannelOptions channelOptions, InferenceNodeClientOptions options)
    {
        ApplyLimits(channelOptions, options);
        if (options.Addresses.Count == 0) return;
        var resolver = new HealthFilteringResolverFactory(() => new HealthFilteringResolver(options.Addresses,
            address => GrpcChannel.ForAddress(address, ProbeOptions(options)), options.HealthProbeInterval, options.CallTimeout));
        channelOptions.Credentials = SecureScheme(options) ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        // The resolver is handed to this channel alone rather than registered in a container for every channel.
        channelOptions.ServiceProvider = new SingleResolverServices(resolver);
        channelOptions.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
    }

    /// <summary>True for https, false for http; several addresses must share one scheme.</summary>
    private static bool SecureScheme(InferenceNodeClientOptions options)
    {
        var schemes = options.Addresses.Select(a => a.Scheme).Distinct().ToList();
        if (schemes.Count != 1) throw new InvalidOperationException($"node addresses mix schemes ({string.Join(", ", schemes)}); use https:// for all of them");
        return schemes[0] == Uri.UriSchemeHttps;
    }

    /// <summary>One probe channel per node address, owned by the resolver (the addresses are known only at run time).</summary>
    private static GrpcChannelOptions ProbeOptions(InferenceNodeClientOptions options)
    {
        var probe = new GrpcChannelOptions { HttpHandler = Handler(options), DisposeHttpClient = true };
        ApplyLimits(probe, options);
        return probe;
    }

    private static void ApplyLimits(GrpcChannelOptions channelOptions, InferenceNodeClientOptions options)
    {
        channelOptions.MaxSendMessageSize = options.MaxRequestBytes;
        channelOptions.MaxReceiveMessageSize = options.MaxResponseBytes;
        // A restarted node is reconnected within one backoff step, not after gRPC's default of up to two minutes.
        channelOptions.MaxReconnectBackoff = options.MaxBackoff;
    }

    /// <summary>The primary handler: HTTP/2 keep-alive, connect timeout, client certificate and node CA.</summary>
    public static SocketsHttpHandler Handler(InferenceNodeClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (options.ClientCertificatePath.Length > 0)
            handler.SslOptions.ClientCertificates =
                [X509Certificate2.CreateFromPemFile(options.ClientCertificatePath, options.ClientKeyPath)];
        if (options.NodeCaPath.Length > 0)
        {
            var roots = CertificateTrust.LoadPem(options.NodeCaPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 presented && CertificateTrust.ChainsTo(presented, roots)
                && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        }
        return handler;
    }

    /// <summary>Just enough of a service provider for GrpcChannel to find the custom resolver.</summary>
    private sealed class SingleResolverServices(ResolverFactory resolver) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(IEnumerable<ResolverFactory>) ? new[] { resolver }
            : serviceType == typeof(ResolverFactory) ? resolver
            : null;
    }
}
