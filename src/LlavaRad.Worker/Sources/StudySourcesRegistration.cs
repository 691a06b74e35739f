using LlavaRad.Fhir;
using LlavaRad.Fhir.Auth;
using LlavaRad.Fhir.Http;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Worker.Options;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Wires the sources "Sources" enables. The host supplies <see cref="IStudySubmitter"/> (the job store's door)
/// and the job store (cursors live in its database).
/// </summary>
public static class StudySourcesRegistration
{
    private const string OrthancClient = "orthanc-changes";
    private const string QidoClient = "qido-poll";

    public static IServiceCollection AddStudySources(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(StudySourcesOptions.Section).Get<StudySourcesOptions>() ?? new StudySourcesOptions();
        services.AddOptions<StudySourcesOptions>().Bind(configuration.GetSection(StudySourcesOptions.Section));
        services.AddSingleton<StudyStabilityGate>();

        var fhir = settings.FhirPoll.Enabled || settings.FhirNotifications.Enabled;
        if (fhir) AddFhirIntake(services, configuration);
        if (settings.FhirPoll.Enabled) services.AddHostedService<FhirPollSource>();
        if (fhir || settings.Qido.Enabled) services.AddHostedService<StabilitySweepService>();

        if (settings.Orthanc.Enabled)
        {
            services.AddHttpClient(OrthancClient, (sp, client) => client.BaseAddress = WithSlash(sp.Orthanc().Url));
            services.AddSingleton(sp => new OrthancChangeFeed(sp.Http(OrthancClient), sp.Orthanc().ClientOptions()));
            services.AddSingleton(sp => new OrthancStudyLookup(sp.Http(OrthancClient), sp.Orthanc().ClientOptions()));
            services.AddHostedService<OrthancChangesSource>();
        }
        if (settings.Qido.Enabled)
        {
            services.AddHttpClient(QidoClient, (sp, client) => client.BaseAddress = WithSlash(sp.Sources().Qido.Url));
            services.AddSingleton(sp => new QidoPollSource(
                new DicomWebClient(sp.Http(QidoClient), new DicomWebClientOptions { Username = sp.Sources().Qido.Username, Password = sp.Sources().Qido.Password }),
                sp.GetRequiredService<Jobs.SqlCursorStore>(), sp.GetRequiredService<StudyStabilityGate>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<StudySourcesOptions>>(), sp.GetRequiredService<Telemetry.WorkerMetrics>(),
                sp.GetRequiredService<ILogger<QidoPollSource>>()));
            services.AddHostedService(sp => sp.GetRequiredService<QidoPollSource>());
        }
        return services;
    }

    /// <summary>The FHIR client and intake. The pipeline registers the same FHIR client; whoever comes first adds it.</summary>
    private static void AddFhirIntake(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<FhirStoreOptions>(configuration.GetSection("Fhir"));
        services.Configure<FhirAuthOptions>(configuration.GetSection("Fhir:Auth"));
        services.Configure<FhirRetryOptions>(configuration.GetSection("Fhir:Retry"));
        services.Configure<PollingOptions>(configuration.GetSection("Fhir:Polling"));
        services.Configure<NotificationOptions>(configuration.GetSection("Fhir:Notifications"));
        if (!services.Any(d => d.ServiceType == typeof(ImagingStudyReader))) services.AddFhirStore();
        services.AddTransient<IStudyEventQueue, FhirStudyIntake>();
    }

    private static Uri WithSlash(string? url) => new(url!.EndsWith('/') ? url : url + "/");

    private static StudySourcesOptions Sources(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<StudySourcesOptions>>().Value;

    private static OrthancChangesSourceOptions Orthanc(this IServiceProvider services) => services.Sources().Orthanc;

    private static DicomWebClientOptions ClientOptions(this OrthancChangesSourceOptions orthanc) =>
        new() { Username = orthanc.Username, Password = orthanc.Password, RequestTimeout = TimeSpan.FromSeconds(30) };

    private static HttpClient Http(this IServiceProvider services, string name) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
}
