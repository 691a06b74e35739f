using LlavaRad.Review;
using LlavaRad.Review.Agreement;
using LlavaRad.Review.Audit;
using OpenTelemetry.Metrics;

namespace LlavaRad.Worker.Review;

/// <summary>Hosts the review app in the worker when Review:Enabled: drafts go into its archive, its actions into the worker's audit.</summary>
public static class WorkerReviewRegistration
{
    public static bool ReviewEnabled(this IConfiguration configuration) =>
        configuration.GetValue<bool>($"{ReviewOptions.Section}:{nameof(ReviewOptions.Enabled)}");

    public static IServiceCollection AddWorkerReview(this IServiceCollection services, IConfiguration configuration, bool fhirConfigured)
    {
        if (!configuration.ReviewEnabled()) return services;
        services.AddSingleton<IReviewAudit, WorkerReviewAudit>();
        services.AddSingleton<ReviewArchiveSink>();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(ReviewMetrics.MeterName));
        return services.AddReviewApp(configuration, fhirConfigured);
    }

    public static WebApplication MapWorkerReview(this WebApplication app)
    {
        if (app.Configuration.ReviewEnabled()) app.MapReview();
        return app;
    }
}
