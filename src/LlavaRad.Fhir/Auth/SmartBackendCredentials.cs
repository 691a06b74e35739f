using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using LlavaRad.Fhir.Http;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Auth;

/// <summary>
/// SMART Backend Services access tokens: discovered token endpoint, client_credentials grant with a signed client
/// assertion, the token cached until <see cref="SmartBackendServicesOptions.RefreshBeforeExpiry"/> before it
/// expires. One refresh at a time; tokens never reach logs or exception messages. A discovered token endpoint is
/// used only where <paramref name="policy"/> allows it: the discovery document is data the server sends.
/// </summary>
/// <param name="http">A client whose BaseAddress is the FHIR base (for discovery); it must not carry this handler.</param>
public sealed class SmartBackendCredentials(HttpClient http, IOptions<FhirAuthOptions> options, TimeProvider time, FhirUrlPolicy policy)
    : IFhirCredentials
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private CachedToken? _token;

    public async ValueTask<AuthenticationHeaderValue?> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_token) is { } cached) return cached;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_token) is { } refreshedMeanwhile) return refreshedMeanwhile;
            _token = await RequestTokenAsync(cancellationToken);
            return _token.Header;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Reject(AuthenticationHeaderValue rejected)
    {
        var current = _token;
        if (current is not null && current.Header.Equals(rejected)) Interlocked.CompareExchange(ref _token, null, current);
    }

    private AuthenticationHeaderValue? Fresh(CachedToken? token) =>
        token is not null && time.GetUtcNow() < token.ExpiresAt - options.Value.Smart.RefreshBeforeExpiry ? token.Header : null;

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var smart = options.Value.Smart;
        var endpoint = smart.TokenEndpoint ?? await DiscoverTokenEndpointAsync(cancellationToken);
        var now = time.GetUtcNow();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = smart.Scope,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = ClientAssertion.Create(smart, endpoint, now),
        });
        using var response = await Send(() => http.PostAsync(endpoint, form, cancellationToken));
        if (!response.IsSuccessStatusCode)
            throw new FhirStoreException(FhirStoreException.TokenRequestFailed, $"SMART token endpoint answered HTTP {(int)response.StatusCode}", (int)response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        if (body?.AccessToken is not { Length: > 0 } token || !string.Equals(body.TokenType, "bearer", StringComparison.OrdinalIgnoreCase))
            throw new FhirStoreException(FhirStoreException.TokenRequestFailed, "SMART token endpoint gave no bearer access_token");
        return new CachedToken(new AuthenticationHeaderValue("Bearer", token), now + TimeSpan.FromSeconds(body.ExpiresIn ?? 300));
    }

    private async Task<Uri> DiscoverTokenEndpointAsync(CancellationToken cancellationToken)
    {
        using var response = await Send(() => http.GetAsync(".well-known/smart-configuration", cancellationToken));
        var configuration = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<SmartConfiguration>(cancellationToken) : null;
        if (!Uri.TryCreate(configuration?.TokenEndpoint, UriKind.Absolute, out var endpoint))
            throw new FhirStoreException(FhirStoreException.TokenRequestFailed, "No token_endpoint in .well-known/smart-configuration", (int)response.StatusCode);
        return policy.AllowsTokenEndpoint(endpoint) ? endpoint : throw FhirUrlPolicy.Refusal("SMART token request", endpoint);
    }

    private static async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            throw new FhirStoreException(FhirStoreException.Unreachable, "SMART token endpoint unreachable", null, e);
        }
    }

    private sealed record CachedToken(AuthenticationHeaderValue Header, DateTimeOffset ExpiresAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("token_type")] string? TokenType,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn);

    private sealed record SmartConfiguration([property: JsonPropertyName("token_endpoint")] string? TokenEndpoint);
}
