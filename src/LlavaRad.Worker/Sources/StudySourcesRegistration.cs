using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Auth;
using LlavaRad.Fhir.Http;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Worker.Options;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Wires the sources "Sources" enables. The host supplies <see cref="IStudySubmitter"/> (the job store's door)
/// and the job store (cursors live in its database).
/// </summary>
public static class StudySourcesRegistration
{
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
            services.AddHttpClient(OrthancChangesSource.HttpClientName, (sp, client) => client.BaseAddress = WithSlash(sp.Sources().Orthanc.Url))
                .ConfigurePrimaryHttpMessageHandler(DicomWebConnectGuard.CreateHandler);
            services.AddHostedService<OrthancChangesSource>();
        }
        if (settings.Qido.Enabled)
        {
            services.AddHttpClient(QidoPollSource.HttpClientName, (sp, client) => client.BaseAddress = WithSlash(sp.Sources().Qido.Url))
                .ConfigurePrimaryHttpMessageHandler(DicomWebConnectGuard.CreateHandler);
            services.AddHostedService<QidoPollSource>();
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
        services.AddSingleton(sp => new Lazy<ImagingStudyPoller>(sp.GetRequiredService<ImagingStudyPoller>));
    }

    private static Uri WithSlash(string? url) => new(url!.EndsWith('/') ? url : url + "/");

    private static StudySourcesOptions Sources(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<StudySourcesOptions>>().Value;
}
