using System.Security.Cryptography.X509Certificates;

namespace LlavaRad.Tests.Shared;

/// <summary>An HTTP handler that trusts only one test CA for the server (never the machine's store), and
/// presents a client certificate when given one.</summary>
public static class SiteCaHandler
{
    public static HttpClientHandler Create(string caPem, X509Certificate2? clientCertificate = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(caPem));
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        if (clientCertificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(clientCertificate);
        }
        return handler;
    }
}
