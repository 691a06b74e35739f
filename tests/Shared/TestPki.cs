using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LlavaRad.Tests.Shared;

/// <summary>A throw-away CA with a server certificate for 127.0.0.1 and a client certificate, as PEM files.</summary>
public sealed class TestPki : IDisposable
{
    private readonly TempDirectory _dir = new("llavarad-pki");

    public TestPki(string name = "site")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name} test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaPath = Write("ca.pem", ca.ExportCertificatePem());

        (ServerCertificatePath, ServerKeyPath) = Issue(ca, "server", "1.3.6.1.5.5.7.3.1", serverName: true);
        (ClientCertificatePath, ClientKeyPath) = Issue(ca, "client", "1.3.6.1.5.5.7.3.2", serverName: false);
    }

    public string CaPath { get; }
    public string ServerCertificatePath { get; }
    public string ServerKeyPath { get; }
    public string ClientCertificatePath { get; }
    public string ClientKeyPath { get; }

    private (string Certificate, string Key) Issue(X509Certificate2 ca, string role, string usage, bool serverName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=llavarad {role}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (serverName)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        return (Write($"{role}.pem", certificate.ExportCertificatePem()), Write($"{role}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string name, string pem)
    {
        File.WriteAllText(_dir.File(name), pem);
        return _dir.File(name);
    }

    public void Dispose() => _dir.Dispose();
}
