using LlavaRad.Worker.HealthChecks;
using LlavaRad.Worker.Sources;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace LlavaRad.Worker;

/// <summary>
/// The worker's HTTP surface: /health/live (the checks tagged "live": the process answers), /health/ready (the
/// checks tagged "ready": every peer; 503 when one is unhealthy), /healthz (kept for existing probes: all checks, plain status), /metrics (Prometheus) and the
/// FHIR notification endpoint when enabled.
/// </summary>
public static class WorkerEndpoints
{
    public static WebApplication MapWorkerEndpoints(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(WorkerHealthRegistration.LiveTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(WorkerHealthRegistration.ReadyTag), ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapHealthChecks("/healthz");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapFhirNotifications();
        return app;
    }
}
