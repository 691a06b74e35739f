using Microsoft.Extensions.Logging;

namespace LlavaRad.Fhir.Http;

/// <summary>
/// The outermost handler of the FHIR client: a request whose target <see cref="FhirUrlPolicy"/> does not allow is
/// refused before retries, credentials or a connection, and nothing is sent.
/// </summary>
public sealed class FhirUrlGuard(FhirUrlPolicy policy, ILogger<FhirUrlGuard> logger) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (policy.Allows(request.RequestUri)) return base.SendAsync(request, cancellationToken);
        var refusal = FhirUrlPolicy.Refusal($"FHIR {request.Method}", request.RequestUri);
        logger.LogWarning("{Reason}", refusal.Message);
        throw refusal;
    }
}
