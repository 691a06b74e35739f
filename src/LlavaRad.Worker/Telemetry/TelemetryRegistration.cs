using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlavaRad.Worker.Telemetry;

/// <summary>Metrics (Prometheus scrape endpoint) and traces for the worker and the peers it calls.</summary>
public static class TelemetryRegistration
{
    public static IServiceCollection AddWorkerTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<Jobs.JobQueries>();
        services.AddSingleton<QueueDepthSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueDepthSampler>());
        services.AddSingleton<WorkerMetrics>();
        services.AddOpenTelemetry()
            // No SDK name or version in the resource (Prometheus target_info): /metrics names no software versions.
            .ConfigureResource(resource => resource.Clear().AddService("llavarad-worker", autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics => metrics
                .AddMeter(WorkerMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddView(instrument => PeerFreeTags(instrument.Meter.Name))
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(WorkerActivity.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperationalPath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation());
        return services;
    }

    /// <summary>
    /// .NET's HTTP client, DNS and Kestrel meters tag each point with a host and port (server.address, server.port,
    /// dns.question.name): a scrape would map the site's network. Their points keep only these tags.
    /// </summary>
    private static MetricStreamConfiguration? PeerFreeTags(string meter) => meter is "System.Net.Http" or "System.Net.NameResolution" or "Microsoft.AspNetCore.Server.Kestrel"
        ? new MetricStreamConfiguration { TagKeys = ["http.request.method", "http.response.status_code", "error.type", "url.scheme", "http.connection.state"] }
        : null;

    /// <summary>Scrapes and probes are not traced: they would drown the traces of real work.</summary>
    private static bool IsOperationalPath(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health") || path.StartsWithSegments("/healthz");
}
