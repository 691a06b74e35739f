using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LlavaRad.Fhir.Auth;

/// <summary>
/// The signed JWT a SMART backend client sends instead of a secret (RFC 7523): iss = sub = client id, aud = the
/// token endpoint, exp at most five minutes ahead, a fresh jti. Signed RS384 (RSA PKCS#1 v1.5 SHA-384) or ES384
/// (P-384, IEEE P1363 r||s as JWS requires).
/// </summary>
public static class ClientAssertion
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(4);

    public static string Create(SmartBackendServicesOptions options, Uri tokenEndpoint, DateTimeOffset now)
    {
        var header = new Dictionary<string, object> { ["alg"] = options.Algorithm, ["typ"] = "JWT" };
        if (options.KeyId is { Length: > 0 } kid) header["kid"] = kid;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = options.ClientId,
            ["sub"] = options.ClientId,
            ["aud"] = tokenEndpoint.ToString(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        return $"{signingInput}.{Base64Url(Sign(options, Encoding.ASCII.GetBytes(signingInput)))}";
    }

    private static byte[] Sign(SmartBackendServicesOptions options, byte[] data)
    {
        switch (options.Algorithm)
        {
            case "RS384":
                using (var rsa = RSA.Create())
                {
                    rsa.ImportFromPem(options.PrivateKeyPem);
                    return rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
                }
            case "ES384":
                using (var ec = ECDsa.Create())
                {
                    ec.ImportFromPem(options.PrivateKeyPem);
                    return ec.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            default:
                throw new FhirStoreException(FhirStoreException.TokenRequestFailed, $"Unsupported client assertion algorithm '{options.Algorithm}' (use RS384 or ES384)");
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
