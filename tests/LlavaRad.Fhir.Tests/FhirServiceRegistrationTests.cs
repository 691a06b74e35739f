using System.Net.Http.Headers;
using LlavaRad.Fhir.Auth;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Fhir.WriteBack;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.Fhir.Tests;

public class FhirServiceRegistrationTests
{
    [Fact]
    public async Task TheHostCanResolveEveryFhirServiceOnceItSuppliesQueueAndCursorStore()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IStudyEventQueue, NoQueue>();
        services.AddSingleton<IPollCursorStore, InMemoryPollCursorStore>();
        services.Configure<FhirStoreOptions>(o => o.BaseUrl = new Uri("http://127.0.0.1:1/fhir/R4"));
        services.Configure<FhirAuthOptions>(o => { o.Mode = FhirAuthMode.Basic; o.BasicUser = "worker"; o.BasicPassword = "pw"; });
        services.AddFhirStore();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        Assert.NotNull(provider.GetRequiredService<DraftReportWriter>());
        Assert.NotNull(provider.GetRequiredService<ImagingStudyReader>());
        Assert.NotNull(provider.GetRequiredService<SubscriptionNotificationHandler>());
        Assert.Same(provider.GetRequiredService<ImagingStudyPoller>(), provider.GetRequiredService<IMissedEventRecovery>());
        Assert.Same(provider.GetRequiredService<KeyedLock>(), provider.GetRequiredService<KeyedLock>());
        var header = await provider.GetRequiredService<IFhirCredentials>().GetAsync(CancellationToken.None);
        Assert.Equal(new AuthenticationHeaderValue("Basic", Convert.ToBase64String("worker:pw"u8.ToArray())), header);
    }

    private sealed class NoQueue : IStudyEventQueue
    {
        public ValueTask EnqueueAsync(StudyEvent studyEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
