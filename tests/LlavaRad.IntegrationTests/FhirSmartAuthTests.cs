using LlavaRad.Fhir.Http;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Auth;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests;

/// <summary>SMART Backend Services against the FHIR test server's token endpoint: discovery, signed assertion, caching, refresh.</summary>
[Collection(PeersCollection.Name)]
public sealed class FhirSmartAuthTests(Peers peers) : IDisposable
{
    private readonly HttpClient _plain = new() { BaseAddress = peers.FhirUrl };

    private FhirUrlPolicy Policy => new(peers.FhirUrl);

    public void Dispose() => _plain.Dispose();

    [Theory]
    [InlineData("RS384")]
    [InlineData("ES384")]
    public async Task ATokenIsFetchedOnceCachedAndRefreshedBeforeExpiry(string algorithm)
    {
        var (clientId, pem) = await RegisterClientAsync(algorithm, tokenLifetimeSeconds: 3);
        var smart = new SmartBackendServicesOptions
        {
            ClientId = clientId, PrivateKeyPem = pem, Algorithm = algorithm, KeyId = "k1", RefreshBeforeExpiry = TimeSpan.FromSeconds(2),
        };
        var store = StoreWith(new SmartBackendCredentials(_plain, Options.Create(new FhirAuthOptions { Smart = smart }), TimeProvider.System, Policy));

        for (var i = 0; i < 3; i++) await store.CreateAsync(new Basic { Code = new CodeableConcept { Text = "smart-test" } });
        Assert.Equal(1, await IssuedAsync(clientId));

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // now within RefreshBeforeExpiry of the 3 s lifetime
        await store.CreateAsync(new Basic { Code = new CodeableConcept { Text = "smart-test" } });
        Assert.Equal(2, await IssuedAsync(clientId));
    }

    [Fact]
    public async Task AnAssertionSignedWithAnUnregisteredKeyIsRefusedWithACode()
    {
        var (clientId, _) = await RegisterClientAsync("RS384", tokenLifetimeSeconds: 60);
        using var other = RSA.Create(2048);
        var smart = new SmartBackendServicesOptions { ClientId = clientId, PrivateKeyPem = other.ExportPkcs8PrivateKeyPem(), Algorithm = "RS384", KeyId = "k1" };
        var store = StoreWith(new SmartBackendCredentials(_plain, Options.Create(new FhirAuthOptions { Smart = smart }), TimeProvider.System, Policy));

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => store.CreateAsync(new Basic { Code = new CodeableConcept { Text = "x" } }));

        Assert.Equal(FhirStoreException.TokenRequestFailed, error.Code);
        Assert.Equal(401, error.HttpStatus);
    }

    [Fact]
    public async Task AStaticBearerTheServerDoesNotKnowGivesTheUnauthorizedCode()
    {
        var store = StoreWith(StaticCredentials.From(new FhirAuthOptions { Mode = FhirAuthMode.Bearer, BearerToken = "not-issued" }));

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => store.ReadAsync<Basic>("Basic/none"));

        Assert.Equal(FhirStoreException.Unauthorized, error.Code);
    }

    private FhirStore StoreWith(IFhirCredentials credentials) =>
        new(new HttpClient(new FhirAuthHandler(credentials, Policy) { InnerHandler = new HttpClientHandler() }) { BaseAddress = peers.FhirUrl });

    private async Task<(string ClientId, string Pem)> RegisterClientAsync(string algorithm, int tokenLifetimeSeconds)
    {
        var clientId = $"llavarad-worker-{Guid.NewGuid():N}";
        JsonObject jwk;
        string pem;
        if (algorithm == "RS384")
        {
            using var rsa = RSA.Create(2048);
            var p = rsa.ExportParameters(false);
            jwk = new JsonObject { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
            pem = rsa.ExportPkcs8PrivateKeyPem();
        }
        else
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var p = ec.ExportParameters(false);
            jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
            pem = ec.ExportPkcs8PrivateKeyPem();
        }
        jwk["kid"] = "k1";
        jwk["alg"] = algorithm;
        var origin = new Uri(peers.FhirUrl.GetLeftPart(UriPartial.Authority));
        using var response = await _plain.PostAsJsonAsync(new Uri(origin, "/auth/register"), new JsonObject
        {
            ["client_id"] = clientId,
            ["jwks"] = new JsonObject { ["keys"] = new JsonArray(jwk) },
            ["token_lifetime_s"] = tokenLifetimeSeconds,
        });
        response.EnsureSuccessStatusCode();
        return (clientId, pem);
    }

    private async Task<int> IssuedAsync(string clientId)
    {
        var origin = new Uri(peers.FhirUrl.GetLeftPart(UriPartial.Authority));
        var stats = await _plain.GetFromJsonAsync<JsonObject>(new Uri(origin, $"/auth/stats?client_id={clientId}"));
        return (int)stats!["issued"]!;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
