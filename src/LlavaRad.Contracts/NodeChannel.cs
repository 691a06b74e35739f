using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace LlavaRad.Contracts;

/// <summary>One HTTP/2 channel to a node: TLS trust and client certificate from options, and gRPC's own retry policy.</summary>
public static class NodeChannel
{
    public static GrpcChannel Create(InferenceNodeClientOptions options)
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
        return GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxSendMessageSize = options.MaxRequestBytes,
            MaxReceiveMessageSize = options.MaxResponseBytes,
            ServiceConfig = options.MaxAttempts > 1
                ? new ServiceConfig { MethodConfigs = { RetryTransientFailures(options.MaxAttempts), ProbeOnce } }
                : null,
        });
    }

    // UNAVAILABLE: node restarting or unreachable; RESOURCE_EXHAUSTED: its queue is full. Both pass with time;
    // anything else (bad image, deadline) would fail again the same way.
    // Health probes answer "is it up now?": a retry would only delay the answer.
    private static readonly MethodConfig ProbeOnce = new() { Names = { new MethodName { Service = "grpc.health.v1.Health" } } };

    private static MethodConfig RetryTransientFailures(int maxAttempts) => new()
    {
        Names = { MethodName.Default },
        RetryPolicy = new RetryPolicy
        {
            MaxAttempts = maxAttempts,
            InitialBackoff = TimeSpan.FromMilliseconds(500),
            MaxBackoff = TimeSpan.FromSeconds(5),
            BackoffMultiplier = 2,
            RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.ResourceExhausted },
        },
    };
}
