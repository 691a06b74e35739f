using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>A throw-away site CA, the node's server certificate (for 127.0.0.1) and the worker's client certificate, as PEM text.</summary>
public sealed class DeployPki
{
    public DeployPki()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=llavarad deploy test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        CaPem = ca.ExportCertificatePem();
        (ServerCertificatePem, ServerKeyPem) = Issue(ca, "node", "1.3.6.1.5.5.7.3.1", server: true);
        (ClientCertificatePem, ClientKeyPem) = Issue(ca, "worker", "1.3.6.1.5.5.7.3.2", server: false);
    }

    public string CaPem { get; }
    public string ServerCertificatePem { get; }
    public string ServerKeyPem { get; }
    public string ClientCertificatePem { get; }
    public string ClientKeyPem { get; }

    private static (string Certificate, string Key) Issue(X509Certificate2 ca, string name, string usage, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=llavarad {name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback); // the tests reach the node on 127.0.0.1
            request.CertificateExtensions.Add(names.Build());
        }
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(12));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
