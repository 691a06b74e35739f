using LlavaRad.Fhir;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Options;

/// <summary>The sources' settings, and the FHIR settings an enabled FHIR source depends on (where the server is, who may notify us).</summary>
public sealed class StudySourcesOptionsValidator(IOptions<FhirStoreOptions> fhir, IOptions<NotificationOptions> notifications)
    : SettingsValidator<StudySourcesOptions>
{
    protected override void Check(StudySourcesOptions options, SettingProblems problems)
    {
        const string s = StudySourcesOptions.Section;
        problems.Positive($"{s}:Stability:QuietPeriod", options.Stability.QuietPeriod, allowZero: true);
        problems.Positive($"{s}:Stability:SweepInterval", options.Stability.SweepInterval);
        problems.Positive($"{s}:Retry:FirstDelay", options.Retry.FirstDelay);
        problems.When(options.Retry.MaxDelay < options.Retry.FirstDelay, $"{s}:Retry:MaxDelay must be at least {s}:Retry:FirstDelay");
        problems.When(options.FhirNotifications.Enabled && !options.FhirNotifications.Path.StartsWith('/'),
            $"{s}:FhirNotifications:Path must start with '/'");

        var orthanc = options.Orthanc;
        if (orthanc.Enabled)
        {
            problems.HttpUrl($"{s}:Orthanc:Url", orthanc.Url);
            problems.HttpUrl($"{s}:Orthanc:DicomWebUrl", orthanc.DicomWebUrl);
            problems.Positive($"{s}:Orthanc:Interval", orthanc.Interval);
            problems.When(orthanc.PageSize is < 1 or > 10_000, $"{s}:Orthanc:PageSize must be between 1 and 10000");
        }

        var qido = options.Qido;
        if (qido.Enabled)
        {
            problems.HttpUrl($"{s}:Qido:Url", qido.Url);
            problems.Positive($"{s}:Qido:Interval", qido.Interval);
            problems.When(qido.LookbackDays is < 0 or > 366, $"{s}:Qido:LookbackDays must be between 0 and 366");
            problems.When(qido.Limit is < 1 or > 10_000, $"{s}:Qido:Limit must be between 1 and 10000");
        }

        problems.When((options.FhirPoll.Enabled || options.FhirNotifications.Enabled) &&
            fhir.Value.BaseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" },
            "Fhir:BaseUrl must be an absolute http(s) URL when Sources:FhirPoll or Sources:FhirNotifications is enabled");
        problems.When(options.FhirNotifications.Enabled &&
            string.IsNullOrEmpty(notifications.Value.ExpectedAuthorization) && string.IsNullOrEmpty(notifications.Value.HmacSecret),
            "Fhir:Notifications:ExpectedAuthorization or Fhir:Notifications:HmacSecret must be set when " +
            "Sources:FhirNotifications is enabled (otherwise every notification is refused)");
    }
}
