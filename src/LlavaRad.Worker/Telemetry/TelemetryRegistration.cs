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
            .ConfigureResource(resource => resource.AddService("llavarad-worker"))
            .WithMetrics(metrics => metrics
                .AddMeter(WorkerMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(WorkerActivity.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperationalPath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation());
        return services;
    }

    /// <summary>Scrapes and probes are not traced: they would drown the traces of real work.</summary>
    private static bool IsOperationalPath(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health") || path.StartsWithSegments("/healthz");
}
