using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LlavaRad.Fhir.Auth;

namespace LlavaRad.Fhir.Tests;

public class ClientAssertionTests
{
    private static readonly Uri TokenUrl = new("https://ehr.example.org/auth/token");

    [Fact]
    public void Rs384AssertionVerifiesWithThePublicKeyAndCarriesTheSmartClaims()
    {
        using var rsa = RSA.Create(2048);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var jwt = ClientAssertion.Create(Options("RS384", rsa.ExportPkcs8PrivateKeyPem()), TokenUrl, now);

        var (header, claims, signed, signature) = Split(jwt);

        Assert.True(rsa.VerifyData(signed, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1));
        Assert.Equal("RS384", header.GetProperty("alg").GetString());
        Assert.Equal("k1", header.GetProperty("kid").GetString());
        Assert.Equal("worker", claims.GetProperty("iss").GetString());
        Assert.Equal("worker", claims.GetProperty("sub").GetString());
        Assert.Equal(TokenUrl.ToString(), claims.GetProperty("aud").GetString());
        var exp = claims.GetProperty("exp").GetInt64();
        Assert.InRange(exp - now.ToUnixTimeSeconds(), 1, 300);
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
    }

    [Fact]
    public void Es384AssertionIsAFixedLengthP1363Signature()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var jwt = ClientAssertion.Create(Options("ES384", ec.ExportPkcs8PrivateKeyPem()), TokenUrl, DateTimeOffset.UtcNow);

        var (_, _, signed, signature) = Split(jwt);

        Assert.Equal(96, signature.Length);
        Assert.True(ec.VerifyData(signed, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void EachAssertionHasAFreshJti()
    {
        using var rsa = RSA.Create(2048);
        var options = Options("RS384", rsa.ExportPkcs8PrivateKeyPem());

        var a = Split(ClientAssertion.Create(options, TokenUrl, DateTimeOffset.UtcNow)).Claims.GetProperty("jti").GetString();
        var b = Split(ClientAssertion.Create(options, TokenUrl, DateTimeOffset.UtcNow)).Claims.GetProperty("jti").GetString();

        Assert.NotEqual(a, b);
    }

    private static SmartBackendServicesOptions Options(string algorithm, string pem) =>
        new() { ClientId = "worker", Algorithm = algorithm, PrivateKeyPem = pem, KeyId = "k1" };

    private static (JsonElement Header, JsonElement Claims, byte[] Signed, byte[] Signature) Split(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return (JsonDocument.Parse(FromBase64Url(parts[0])).RootElement, JsonDocument.Parse(FromBase64Url(parts[1])).RootElement,
            Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]));
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
