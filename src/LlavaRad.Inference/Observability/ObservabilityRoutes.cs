using LlavaRad.Contracts;
using LlavaRad.Model.Generation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace LlavaRad.Inference.Observability;

/// <summary>
/// Prometheus /metrics (OpenTelemetry, meter "LlavaRad.Inference") and the probes: /health/live answers while the
/// process serves HTTP; /health/ready only once the model is loaded and warm, and not while shutting down.
/// </summary>
public static class ObservabilityRoutes
{
    public static void AddMetrics(IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(BatcherMetrics.MeterName).AddPrometheusExporter());

    /// <summary>Maps the three routes on the observability listener only (<see cref="NodeEndpoints"/>).</summary>
    public static void Map(WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").OnListener(NodeEndpoints.Observability);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).OnListener(NodeEndpoints.Observability);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelReadyHealthCheck.Tag) })
            .OnListener(NodeEndpoints.Observability);
    }
}
