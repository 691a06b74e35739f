using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Fhir.Intake;
using LlavaRad.Worker.Options;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Wires the sources "Sources" enables. The host supplies <see cref="IStudySubmitter"/> (the job store's door)
/// and the job store (cursors live in its database).
/// </summary>
public static class StudySourcesRegistration
{
    /// <summary>
    /// Binds "Sources" (validated at start) and adds the sources it enables. Returns the settings, parsed once here,
    /// for the parts of the host that are wired by them (the readiness checks).
    /// </summary>
    /// <remarks>An enabled FHIR source needs <see cref="FhirRegistration.AddFhir"/>'s client; the validator refuses one without Fhir:BaseUrl.</remarks>
    public static StudySourcesOptions AddStudySources(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StudySourcesOptions.Section);
        services.AddOptions<StudySourcesOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StudySourcesOptions>, StudySourcesOptionsValidator>();
        var settings = section.Get<StudySourcesOptions>() ?? new StudySourcesOptions();
        services.AddSingleton<StudyStabilityGate>();

        var fhir = settings.FhirPoll.Enabled || settings.FhirNotifications.Enabled;
        if (fhir) AddFhirIntake(services);
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
        return settings;
    }

    /// <summary>Where FHIR events become submissions; the FHIR client itself comes from <see cref="FhirRegistration.AddFhir"/>.</summary>
    private static void AddFhirIntake(IServiceCollection services)
    {
        services.AddTransient<IStudyEventQueue, FhirStudyIntake>();
        services.AddSingleton(sp => new Lazy<ImagingStudyPoller>(sp.GetRequiredService<ImagingStudyPoller>));
    }

    private static Uri WithSlash(string? url) => new(url!.EndsWith('/') ? url : url + "/");

    private static StudySourcesOptions Sources(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<StudySourcesOptions>>().Value;
}
