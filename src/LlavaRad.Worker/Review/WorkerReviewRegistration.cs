using LlavaRad.Fhir;
using LlavaRad.Review;
using LlavaRad.Review.Audit;

namespace LlavaRad.Worker.Review;

/// <summary>Hosts the review app in the worker when Review:Enabled: drafts go into its archive, its actions into the worker's audit.</summary>
public static class WorkerReviewRegistration
{
    public static bool ReviewEnabled(this IConfiguration configuration) =>
        configuration.GetValue<bool>($"{ReviewOptions.Section}:{nameof(ReviewOptions.Enabled)}");

    public static IServiceCollection AddWorkerReview(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.ReviewEnabled()) return services;
        services.AddSingleton<IReviewAudit, WorkerReviewAudit>();
        services.AddSingleton<ReviewArchiveSink>();
        return services.AddReviewApp(configuration, fhir: services.Any(d => d.ServiceType == typeof(FhirStore)));
    }

    public static WebApplication MapWorkerReview(this WebApplication app)
    {
        if (app.Configuration.ReviewEnabled()) app.MapReview();
        return app;
    }
}
