using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LlavaRad.Contracts;

/// <summary>Chain checks against configured CAs only, never the machine's store (both ends of the node link use it).</summary>
public static class CertificateTrust
{
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public static X509Certificate2Collection LoadPem(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0) throw new InvalidOperationException($"no certificate in {path}");
        return roots;
    }

    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection roots, string? requiredUsage = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // CRL distribution is site-specific; rotate instead
        if (requiredUsage is not null) chain.ChainPolicy.ApplicationPolicy.Add(new Oid(requiredUsage));
        return chain.Build(certificate);
    }
}
