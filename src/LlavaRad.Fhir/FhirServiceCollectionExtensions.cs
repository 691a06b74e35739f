using LlavaRad.Fhir.Auth;
using LlavaRad.Fhir.Http;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Fhir.WriteBack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir;

public static class FhirServiceCollectionExtensions
{
    private const string TokenClient = "fhir-smart-token";

    /// <summary>
    /// The FHIR typed client (the URL guard outermost, so nothing off the allowed bases is even tried; then retries,
    /// then auth, so every retry carries a current token), the intake
    /// reader and the draft writer with its process-wide per-key lock. Bind the options classes before calling.
    /// </summary>
    public static IHttpClientBuilder AddFhirStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KeyedLock>();
        services.AddOptions<FhirStoreOptions>();
        services.AddOptions<FhirAuthOptions>();
        services.AddOptions<FhirRetryOptions>();
        services.AddOptions<WriteBackOptions>();
        services.TryAddSingleton<FhirUrlPolicy>();
        services.AddTransient<FhirUrlGuard>();
        services.AddTransient<FhirRetryHandler>();
        services.AddTransient<FhirAuthHandler>();
        services.AddTransient<ImagingStudyReader>();
        services.AddTransient<DraftReportWriter>();
        // Intake: the host supplies IStudyEventQueue and IPollCursorStore (its job store).
        services.AddOptions<PollingOptions>();
        services.AddOptions<NotificationOptions>();
        services.AddSingleton<ImagingStudyPoller>(); // holds the overlap's (id, versionId) memory
        services.AddSingleton<IMissedEventRecovery>(sp => sp.GetRequiredService<ImagingStudyPoller>());
        services.AddSingleton<SubscriptionEventCounter>();
        services.AddSingleton<NotificationAuthenticator>();
        services.AddTransient<SubscriptionNotificationHandler>();

        // No redirects on either client: a 3xx could lead a request off the allowed bases behind the guard's back.
        services.AddHttpClient(TokenClient, (sp, client) => client.BaseAddress = BaseUrl(sp))
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .AddHttpMessageHandler<FhirRetryHandler>();
        services.AddSingleton<IFhirCredentials>(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<FhirAuthOptions>>();
            return auth.Value.Mode == FhirAuthMode.SmartBackendServices
                ? new SmartBackendCredentials(sp.GetRequiredService<IHttpClientFactory>().CreateClient(TokenClient), auth,
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<FhirUrlPolicy>())
                : StaticCredentials.From(auth.Value);
        });

        return services.AddHttpClient<FhirStore>((sp, client) =>
            {
                client.BaseAddress = BaseUrl(sp);
                client.Timeout = Timeout.InfiniteTimeSpan; // each try has its own timeout (FhirRetryOptions.AttemptTimeout)
            })
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .AddHttpMessageHandler<FhirUrlGuard>()
            .AddHttpMessageHandler<FhirRetryHandler>()
            .AddHttpMessageHandler<FhirAuthHandler>();
    }

    private static HttpMessageHandler NoRedirects() => new SocketsHttpHandler { AllowAutoRedirect = false };

    private static Uri BaseUrl(IServiceProvider services)
    {
        var url = services.GetRequiredService<IOptions<FhirStoreOptions>>().Value.BaseUrl
            ?? throw new InvalidOperationException("Fhir:BaseUrl is not configured");
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}
