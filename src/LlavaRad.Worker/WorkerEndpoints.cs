using LlavaRad.Contracts;
using LlavaRad.Worker.HealthChecks;
using LlavaRad.Worker.Listeners;
using LlavaRad.Worker.Sources;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace LlavaRad.Worker;

/// <summary>
/// The worker's HTTP surface: /health/live (the checks tagged "live": the process answers), /health/ready (the
/// checks tagged "ready": every peer; 503 when one is unhealthy), /healthz (kept for existing probes: all checks, plain status), /metrics (Prometheus) and the
/// FHIR notification endpoint when enabled. The first four answer on the operations listener only, the rest on the
/// notifications listener only (<see cref="WorkerListeners"/>).
/// </summary>
public static class WorkerEndpoints
{
    public static WebApplication MapWorkerEndpoints(this WebApplication app)
    {
        app.UseListenerScopes(WorkerListeners.Notifications);
        app.UseRateLimiter();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(WorkerHealthRegistration.LiveTag) })
            .OnListener(WorkerListeners.Operations);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(WorkerHealthRegistration.ReadyTag), ResponseWriter = HealthReportWriter.WriteAsync,
        }).OnListener(WorkerListeners.Operations);
        app.MapHealthChecks("/healthz").OnListener(WorkerListeners.Operations);
        app.MapPrometheusScrapingEndpoint("/metrics").OnListener(WorkerListeners.Operations);
        app.MapFhirNotifications();
        return app;
    }
}
