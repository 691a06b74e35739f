using LlavaRad.Fhir;
using LlavaRad.Findings;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Part10;
using LlavaRad.Worker.Audit;
using LlavaRad.Worker.Sinks;
using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// Wires the pipeline stages, the job runner, the audit trail, the study submitter and the folder source. FHIR is
/// optional: without Fhir:BaseUrl every draft goes to the local bundle folder and audits to the file.
/// </summary>
public static class PipelineRegistration
{
    /// <param name="fhirConfigured">From <see cref="FhirRegistration.AddFhir"/>, which has registered the FHIR client.</param>
    public static IServiceCollection AddStudyPipeline(this IServiceCollection services, IConfiguration configuration, bool fhirConfigured)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>>(new AuditOptionsValidator(fhirConfigured));
        services.AddOptions<FolderSourceOptions>().Bind(configuration.GetSection(FolderSourceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FolderSourceOptions>, FolderSourceOptionsValidator>();
        services.Configure<DicomWebClientOptions>(configuration.GetSection("DicomWeb"));
        services.AddSingleton<DicomWebAllowlist>();
        services.AddHttpClient(DicomWebImageSource.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(DicomWebConnectGuard.CreateHandler);
        // HttpClient's request logs print URLs, and DICOMweb URLs carry StudyInstanceUIDs: keep them out of the logs.
        services.AddLogging(logging => logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));

        services.AddSingleton<IDicomImageReader, Part10ImageReader>();
        services.AddSingleton(new FindingsTriage());
        services.AddSingleton(sp => new AuditEventMapper(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value.Sink switch
        {
            "none" => new NoAuditTrail(),
            "fhir" => new FhirAuditTrail(sp.GetRequiredService<FhirStore>(), sp.GetRequiredService<AuditEventMapper>()), // validated: FHIR is configured
            _ => new JsonLinesAuditTrail(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<AuditEventMapper>()),
        });
        services.AddSingleton<AuditRecorder>();

        services.AddSingleton(sp => new StudyResolver(fhirConfigured ? sp.GetRequiredService<FhirStudyLookup>() : null));
        services.AddSingleton<FolderImageSource>();
        services.AddSingleton<DicomWebImageSource>();
        services.AddSingleton<FindingsGenerator>();
        services.AddSingleton<IFindingsGenerator>(sp => sp.GetRequiredService<FindingsGenerator>());
        services.AddSingleton<FindingsAssessor>();
        services.AddSingleton<LocalBundleSink>();
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptionsValidator>();
        services.AddSingleton<LocalExportWriter>();
        services.AddSingleton<SiteExportSinks>();
        services.AddSingleton<DraftSrStowSink>();
        services.AddHttpClient(DraftSrStowSink.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(DicomWebConnectGuard.CreateHandler);
        services.AddSingleton(sp => new StudyPipeline(
            sp.GetRequiredService<StudyResolver>(), sp.GetRequiredService<FolderImageSource>(), sp.GetRequiredService<DicomWebImageSource>(),
            sp.GetRequiredService<IFindingsGenerator>(), sp.GetRequiredService<FindingsAssessor>(), sp.GetRequiredService<LocalBundleSink>(),
            fhirConfigured ? sp.GetRequiredService<FhirDraftSink>() : null, sp.GetRequiredService<Jobs.IJobStore>(),
            sp.GetRequiredService<IOptions<PipelineOptions>>(), sp.GetRequiredService<WorkerMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<LocalExportWriter>(), sp.GetRequiredService<SiteExportSinks>(), sp.GetService<Review.ReviewArchiveSink>()));
        services.AddSingleton<IStudyPipeline>(sp => sp.GetRequiredService<StudyPipeline>());
        services.AddSingleton<KillSwitch>();
        services.AddHostedService<JobRunner>();
        services.AddSingleton<IJobOutcomeObserver, JobOutcomeMetrics>();

        services.AddSingleton<IStudySubmitter, JobStoreStudySubmitter>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{FolderSourceOptions.Section}:Path"]))
            services.AddHostedService<FolderSource>();
        return services;
    }
}
