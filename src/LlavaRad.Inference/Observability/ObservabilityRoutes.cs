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

    public static void Map(WebApplication app, int? port)
    {
        var host = port is { } p ? $"*:{p}" : null;
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        var live = app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        var ready = app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelReadyHealthCheck.Tag) });
        if (host is null) return;
        metrics.RequireHost(host);
        live.RequireHost(host);
        ready.RequireHost(host);
    }
}
