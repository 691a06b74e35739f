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
/// </summary>
public static class NodeChannel
{
    public static GrpcChannel Create(InferenceNodeClientOptions options)
    {
        if (options.Addresses.Count == 0) return GrpcChannel.ForAddress(options.Address, ChannelOptions(options));
        var schemes = options.Addresses.Select(a => a.Scheme).Distinct().ToList();
        if (schemes.Count != 1) throw new InvalidOperationException($"node addresses mix schemes ({string.Join(", ", schemes)}); use https:// for all of them");
        var secure = schemes[0] == Uri.UriSchemeHttps;
        var resolver = new HealthFilteringResolverFactory(() => new HealthFilteringResolver(options.Addresses,
            address => GrpcChannel.ForAddress(address, ChannelOptions(options)), options.HealthProbeInterval, options.CallTimeout));
        var channelOptions = ChannelOptions(options);
        channelOptions.Credentials = secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        channelOptions.ServiceProvider = new SingleResolverServices(resolver);
        channelOptions.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        return GrpcChannel.ForAddress($"{HealthFilteringResolverFactory.Scheme}:///llavarad-nodes", channelOptions);
    }

    private static GrpcChannelOptions ChannelOptions(InferenceNodeClientOptions options) => new()
    {
        HttpHandler = Handler(options),
        DisposeHttpClient = true,
        MaxSendMessageSize = options.MaxRequestBytes,
        MaxReceiveMessageSize = options.MaxResponseBytes,
        // A restarted node is reconnected within one backoff step, not after gRPC's default of up to two minutes.
        MaxReconnectBackoff = options.MaxBackoff,
    };

    private static SocketsHttpHandler Handler(InferenceNodeClientOptions options)
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
