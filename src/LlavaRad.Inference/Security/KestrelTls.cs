using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LlavaRad.Contracts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace LlavaRad.Inference.Security;

/// <summary>The node's gRPC listener TLS (HTTP/2), with mutual TLS when Inference:Tls names a client CA; see <see cref="ServerTls"/>.</summary>
public static class KestrelTls
{
    public const string MissingCertificate = ServerTls.MissingCertificate;

    /// <summary>Turns on TLS for one listener, or returns null when Inference:Tls is not configured.</summary>
    public static Action<ListenOptions>? Https(NodeTlsOptions tls, TlsRefusals refusals)
    {
        if (!tls.Enabled) return null;
        var serverCertificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
        var clientRoots = tls.RequireClientCertificate ? CertificateTrust.LoadPem(tls.ClientCaPath) : null;
        var handshake = new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = tls.HandshakeTimeout,
            OnConnection = _ => ValueTask.FromResult(
                ServerTls.Authentication(serverCertificate, SslApplicationProtocol.Http2, clientRoots, clientCertificateRequired: true, refusals.Record)),
        };
        return listen => listen.UseHttps(handshake);
    }
}
