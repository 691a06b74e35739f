using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>
/// A peer the worker reads from (the FHIR server, the DICOMweb server) is ready when it answers an HTTP request
/// below 500. 401/403 still prove it is up: credentials are the pipeline's errors to report, with their own code.
/// </summary>
public sealed class HttpPeerHealthCheck(HttpClient http, Uri probe, string unreachableCode) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.GetAsync(probe, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return (int)response.StatusCode < 500
                ? HealthCheckResult.Healthy($"answers HTTP {(int)response.StatusCode}")
                : HealthCheckResult.Unhealthy($"{unreachableCode}: HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return HealthCheckResult.Unhealthy(unreachableCode, e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{unreachableCode}: no answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
