using System.Security.Cryptography.X509Certificates;
using LlavaRad.Contracts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace LlavaRad.Inference.Security;

/// <summary>Server certificate and, for mutual TLS, client certificate checks against the configured CA only.</summary>
public static class KestrelTls
{
    public static void Configure(KestrelServerOptions kestrel, NodeTlsOptions tls)
    {
        if (!tls.Enabled) return;
        var serverCertificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
        var clientRoots = tls.RequireClientCertificate ? CertificateTrust.LoadPem(tls.ClientCaPath) : null;
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = serverCertificate;
            if (clientRoots is null) return;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            // Only the configured CA: a certificate from a public CA must not open the link that carries patient images.
            https.ClientCertificateValidation = (certificate, _, _) =>
                CertificateTrust.ChainsTo(certificate, clientRoots, CertificateTrust.ClientAuthentication);
        });
    }
}
