using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Http;

/// <summary>
/// Retries 429, 5xx, connection failures and timed-out tries with exponential backoff and jitter, waiting at least
/// what Retry-After asks. Everything we send is safe to repeat: reads, and writes that are conditional creates or
/// If-Match updates. 409 and 412 are answers, not glitches: they go back to the caller (who re-reads) unretried.
/// </summary>
public sealed class FhirRetryHandler(IOptions<FhirRetryOptions> options, TimeProvider time, ILogger<FhirRetryHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (request.Content is not null) await request.Content.LoadIntoBufferAsync(cancellationToken); // so it can be sent again
        for (var attempt = 1; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(settings.AttemptTimeout);
            HttpResponseMessage? response = null;
            string failure;
            try
            {
                response = await base.SendAsync(request, attemptTimeout.Token);
                if (!IsTransient(response.StatusCode) || attempt >= settings.MaxAttempts) return response;
                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException) when (attempt < settings.MaxAttempts)
            {
                failure = "connection failed";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < settings.MaxAttempts)
            {
                failure = "timed out";
            }

            var delay = Backoff(attempt, settings, response?.Headers.RetryAfter);
            response?.Dispose();
            logger.LogWarning("FHIR {Method} {Type}: {Failure} on try {Attempt}; retrying in {DelayMs} ms",
                request.Method, ResourceType(request.RequestUri), failure, attempt, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500 && status != HttpStatusCode.NotImplemented;

    /// <summary>Exponential backoff with full jitter, never shorter than Retry-After, never longer than MaxDelay unless the server asks.</summary>
    internal TimeSpan Backoff(int attempt, FhirRetryOptions settings, System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter)
    {
        var exponential = settings.BaseDelay * Math.Pow(2, attempt - 1);
        var capped = exponential < settings.MaxDelay ? exponential : settings.MaxDelay;
        var jittered = capped * (0.5 + Random.Shared.NextDouble() / 2);
        var asked = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => TimeSpan.Zero,
        };
        return asked > jittered ? asked : jittered;
    }

    // Logs name the resource type only: URLs can carry identifiers (MRN, accession) in search parameters.
    private static string ResourceType(Uri? uri) =>
        uri?.Segments.Select(s => s.Trim('/')).FirstOrDefault(Hl7.Fhir.Model.ModelInfo.IsKnownResource) ?? "(base)";
}
