using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LlavaRad.Contracts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace LlavaRad.Inference.Security;

/// <summary>
/// Server certificate and, for mutual TLS, client certificate checks against the configured CA only. The TLS options
/// are built here rather than through Kestrel's client-certificate settings, because Kestrel refuses a missing client
/// certificate before any callback of ours runs, and that refusal must be counted and logged too.
/// </summary>
public static class KestrelTls
{
    public const string MissingCertificate = "client-certificate-missing";

    /// <summary>Turns on TLS for one listener, or returns null when Inference:Tls is not configured.</summary>
    public static Action<ListenOptions>? Https(NodeTlsOptions tls, TlsRefusals refusals)
    {
        if (!tls.Enabled) return null;
        var serverCertificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
        var clientRoots = tls.RequireClientCertificate ? CertificateTrust.LoadPem(tls.ClientCaPath) : null;
        var handshake = new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = tls.HandshakeTimeout,
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificateRequired = clientRoots is not null,
                RemoteCertificateValidationCallback = clientRoots is null ? null : (_, certificate, _, _) => Trusted(certificate, clientRoots, refusals),
            }),
        };
        return listen => listen.UseHttps(handshake);
    }

    // Only the configured CA: a certificate from a public CA must not open the link that carries patient images.
    private static bool Trusted(X509Certificate? certificate, X509Certificate2Collection roots, TlsRefusals refusals)
    {
        if (certificate is null)
        {
            refusals.Record(MissingCertificate);
            return false;
        }
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (CertificateTrust.ChainsTo(presented, roots, CertificateTrust.ClientAuthentication)) return true;
        refusals.Record(TlsRefusals.UntrustedCertificate);
        return false;
    }
}
