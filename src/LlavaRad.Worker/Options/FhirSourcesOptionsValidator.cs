using LlavaRad.Fhir;
using LlavaRad.Fhir.Notifications;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Options;

/// <summary>The FHIR settings an enabled FHIR source depends on: where the server is, and who may notify us.</summary>
public sealed class FhirSourcesOptionsValidator(IOptions<FhirStoreOptions> fhir, IOptions<NotificationOptions> notifications)
    : IValidateOptions<StudySourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, StudySourcesOptions options)
    {
        var errors = new List<string>();
        if ((options.FhirPoll.Enabled || options.FhirNotifications.Enabled) &&
            fhir.Value.BaseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
            errors.Add("Fhir:BaseUrl must be an absolute http(s) URL when Sources:FhirPoll or Sources:FhirNotifications is enabled");
        if (options.FhirNotifications.Enabled &&
            string.IsNullOrEmpty(notifications.Value.ExpectedAuthorization) && string.IsNullOrEmpty(notifications.Value.HmacSecret))
            errors.Add("Fhir:Notifications:ExpectedAuthorization or Fhir:Notifications:HmacSecret must be set when " +
                       "Sources:FhirNotifications is enabled (otherwise every notification is refused)");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
