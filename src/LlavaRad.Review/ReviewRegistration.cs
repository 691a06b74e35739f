using LlavaRad.Fhir;
using LlavaRad.Review.Agreement;
using LlavaRad.Review.Audit;
using LlavaRad.Review.Auth;
using LlavaRad.Review.Drafts;
using LlavaRad.Review.SignOff;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LlavaRad.Review;

public static class ReviewRegistration
{
    /// <summary>
    /// The review app's services. With <paramref name="fhir"/> the draft's resources are read from and decisions
    /// written to the FHIR server (the host registers <see cref="FhirStore"/>); without, to the output folder.
    /// A host that has its own audit trail registers an <see cref="IReviewAudit"/> before calling this.
    /// </summary>
    public static IServiceCollection AddReviewApp(this IServiceCollection services, IConfiguration configuration, bool fhir)
    {
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReviewOptions>, ReviewOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReviewArchive>(sp => new FolderReviewArchive(sp.GetRequiredService<IOptions<ReviewOptions>>().Value.ArchiveFolder));
        services.TryAddSingleton<IReviewAudit, JsonLinesReviewAudit>();
        if (fhir)
        {
            services.AddSingleton<IDraftRecords, FhirDraftRecords>();
            services.AddSingleton<ExternalFinalReports>();
            services.AddHostedService<ExternalFinalReportPoller>();
        }
        else services.AddSingleton<IDraftRecords, FolderDraftRecords>();
        services.AddMetrics();
        services.AddSingleton<ReviewMetrics>();
        services.AddSingleton<ReviewWorkflow>();
        ReviewAuthentication.Add(services);
        return services;
    }
}
