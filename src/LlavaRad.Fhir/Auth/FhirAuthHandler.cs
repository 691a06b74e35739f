using System.Net;
using LlavaRad.Fhir.Http;

namespace LlavaRad.Fhir.Auth;

/// <summary>
/// Adds the Authorization header, only to requests for the configured FHIR base; on 401 drops the credential and
/// tries once more with a fresh one (an expired or revoked token).
/// </summary>
public sealed class FhirAuthHandler(IFhirCredentials credentials, FhirUrlPolicy policy) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!policy.CarriesCredentials(request.RequestUri))
        {
            request.Headers.Authorization = null; // an allowed further base is read without our credentials
            return await base.SendAsync(request, cancellationToken);
        }
        if (request.Content is not null) await request.Content.LoadIntoBufferAsync(cancellationToken);
        var header = await credentials.GetAsync(cancellationToken);
        request.Headers.Authorization = header;
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || header is null) return response;

        credentials.Reject(header);
        var fresh = await credentials.GetAsync(cancellationToken);
        if (fresh is null || fresh.Equals(header)) return response;
        response.Dispose();
        request.Headers.Authorization = fresh;
        return await base.SendAsync(request, cancellationToken);
    }
}
