using LlavaRad.Fhir;
using LlavaRad.Fhir.Auth;
using LlavaRad.Fhir.Http;
using LlavaRad.Fhir.WriteBack;
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
    public static IServiceCollection AddStudyPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>>(new MessageValidator<PipelineOptions>(o => o.Validate()));
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>>(new MessageValidator<AuditOptions>(o => o.Validate()));
        services.AddOptions<FolderSourceOptions>().Bind(configuration.GetSection(FolderSourceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FolderSourceOptions>>(new MessageValidator<FolderSourceOptions>(o => o.Validate()));
        services.Configure<DicomWebClientOptions>(configuration.GetSection("DicomWeb"));
        services.Configure<WriteBackOptions>(configuration.GetSection("Fhir:WriteBack"));
        services.AddSingleton<DicomWebAllowlist>();
        services.AddHttpClient(DicomWebImageSource.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(DicomWebConnectGuard.CreateHandler);
        // HttpClient's request logs print URLs, and DICOMweb URLs carry StudyInstanceUIDs: keep them out of the logs.
        services.AddLogging(logging => logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));

        var fhirConfigured = !string.IsNullOrWhiteSpace(configuration["Fhir:BaseUrl"]);
        if (fhirConfigured) AddFhir(services, configuration);

        services.AddSingleton<IDicomImageReader, Part10ImageReader>();
        services.AddSingleton(new FindingsTriage());
        services.AddSingleton(sp => new AuditEventMapper(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value.Sink switch
        {
            "none" => new NoAuditTrail(),
            "fhir" when fhirConfigured => new FhirAuditTrail(sp.GetRequiredService<FhirStore>(), sp.GetRequiredService<AuditEventMapper>()),
            "fhir" => throw new OptionsValidationException(AuditOptions.Section, typeof(AuditOptions), ["Audit:Sink is fhir but Fhir:BaseUrl is empty"]),
            _ => new JsonLinesAuditTrail(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<AuditEventMapper>()),
        });
        services.AddSingleton<AuditRecorder>();

        services.AddSingleton(sp => new StudyResolver(fhirConfigured ? sp.GetRequiredService<FhirStudyLookup>() : null));
        services.AddSingleton<FolderImageSource>();
        services.AddSingleton<DicomWebImageSource>();
        services.AddSingleton<FindingsGenerator>();
        services.AddSingleton<FindingsAssessor>();
        services.AddSingleton<LocalBundleSink>();
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptionsValidator>();
        services.AddSingleton<LocalExportWriter>();
        services.AddSingleton<SiteExportSinks>();
        services.AddHttpClient(SiteExportSinks.HttpClientName);
        services.AddSingleton(sp => new StudyPipeline(
            sp.GetRequiredService<StudyResolver>(), sp.GetRequiredService<FolderImageSource>(), sp.GetRequiredService<DicomWebImageSource>(),
            sp.GetRequiredService<FindingsGenerator>(), sp.GetRequiredService<FindingsAssessor>(), sp.GetRequiredService<LocalBundleSink>(),
            fhirConfigured ? sp.GetRequiredService<FhirDraftSink>() : null,
            sp.GetRequiredService<IOptions<PipelineOptions>>(), sp.GetRequiredService<WorkerMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<LocalExportWriter>(), sp.GetRequiredService<SiteExportSinks>(), sp.GetService<Review.ReviewArchiveSink>()));
        services.AddSingleton<IStudyPipeline>(sp => sp.GetRequiredService<StudyPipeline>());
        services.AddSingleton<KillSwitch>();
        services.AddHostedService<JobRunner>();

        services.AddSingleton<IStudySubmitter, JobStoreStudySubmitter>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{FolderSourceOptions.Section}:Path"]))
            services.AddHostedService<FolderSource>();
        return services;
    }

    /// <summary>The FHIR client, reader and writer; skipped if another part of the host has added them already.</summary>
    private static void AddFhir(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FhirStudyLookup>();
        services.AddSingleton<FhirDraftSink>();
        if (services.Any(d => d.ServiceType == typeof(FhirStore))) return;
        services.Configure<FhirStoreOptions>(configuration.GetSection("Fhir"));
        services.Configure<FhirAuthOptions>(configuration.GetSection("Fhir:Auth"));
        services.Configure<FhirRetryOptions>(configuration.GetSection("Fhir:Retry"));
        services.AddFhirStore();
    }
}

/// <summary>Turns an options class's own Validate() messages into a start-up failure that names each problem.</summary>
public sealed class MessageValidator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        validate(options).ToList() is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
}
