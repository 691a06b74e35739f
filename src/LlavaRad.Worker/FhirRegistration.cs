using LlavaRad.Fhir;
using LlavaRad.Fhir.Auth;
using LlavaRad.Fhir.Http;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Fhir.Intake;
using LlavaRad.Worker.Configuration;
using LlavaRad.Worker.Pipeline;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker;

/// <summary>
/// The one place the FHIR client is registered. The pipeline (lookup, write-back), the FHIR audit trail and the
/// FHIR sources share it; registering it twice would stack its retry and auth handlers.
/// </summary>
public static class FhirRegistration
{
    public const string Section = "Fhir";

    /// <summary>
    /// Binds every "Fhir" setting and, when Fhir:BaseUrl is set, adds the client, reader and writer. Returns that
    /// answer, taken from the bound options: the one "is FHIR configured" the rest of the wiring uses.
    /// </summary>
    public static bool AddFhir(this IServiceCollection services, IConfiguration configuration)
    {
        var fhir = configuration.GetSection(Section);
        services.AddOptions<FhirStoreOptions>().Bind(fhir).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FhirStoreOptions>, FhirStoreOptionsValidator>();
        services.Configure<FhirAuthOptions>(fhir.GetSection("Auth"));
        services.Configure<FhirRetryOptions>(fhir.GetSection("Retry"));
        services.Configure<WriteBackOptions>(fhir.GetSection("WriteBack"));
        services.Configure<PollingOptions>(fhir.GetSection("Polling"));
        services.Configure<NotificationOptions>(fhir.GetSection("Notifications"));

        var configured = fhir.Get<FhirStoreOptions>()?.BaseUrl is not null;
        if (!configured) return false;
        services.AddFhirStore();
        services.AddSingleton<FhirStudyLookup>();
        services.AddSingleton<FhirDraftSink>();
        return true;
    }
}

/// <summary>A set Fhir:BaseUrl must be usable: an empty one means FHIR is off, a relative one is a mistake.</summary>
public sealed class FhirStoreOptionsValidator : SettingsValidator<FhirStoreOptions>
{
    protected override void Check(FhirStoreOptions options, SettingProblems problems)
    {
        if (options.BaseUrl is { } url) problems.HttpUrl("Fhir:BaseUrl", url.OriginalString);
    }
}
