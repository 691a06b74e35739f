using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace LlavaRad.Contracts;

/// <summary>
/// The server side of TLS for the node's and the worker's listeners: our certificate, and client certificates checked
/// against the configured CA only (never the machine's store). Built per connection by Kestrel's handshake callback,
/// because Kestrel's own client-certificate settings refuse a missing certificate before any callback of ours runs,
/// and that refusal must be counted too.
/// </summary>
public static class ServerTls
{
    public const string MissingCertificate = "client-certificate-missing";
    public const string UntrustedCertificate = "client-certificate-untrusted";

    /// <param name="clientRoots">The CAs a client certificate must chain to; null asks for no client certificate.</param>
    /// <param name="clientCertificateRequired">False lets a client without a certificate in (one it presents must still chain).</param>
    /// <param name="refused">Told the coded reason of each refused client.</param>
    public static SslServerAuthenticationOptions Authentication(X509Certificate2 serverCertificate, SslApplicationProtocol protocol,
        X509Certificate2Collection? clientRoots, bool clientCertificateRequired, Action<string> refused) => new()
    {
        ServerCertificate = serverCertificate,
        ApplicationProtocols = [protocol],
        ClientCertificateRequired = clientRoots is not null,
        RemoteCertificateValidationCallback = clientRoots is null ? null
            : (_, certificate, _, _) => Accepts(certificate, clientRoots, clientCertificateRequired, refused),
    };

    private static bool Accepts(X509Certificate? certificate, X509Certificate2Collection roots, bool required, Action<string> refused)
    {
        if (certificate is null)
        {
            if (required) refused(MissingCertificate);
            return !required;
        }
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (CertificateTrust.ChainsTo(presented, roots, CertificateTrust.ClientAuthentication)) return true;
        refused(UntrustedCertificate);
        return false;
    }
}
