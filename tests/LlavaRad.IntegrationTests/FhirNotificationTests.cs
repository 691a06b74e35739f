using LlavaRad.Fhir.Http;
using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests;

/// <summary>Rest-hook notifications from the real FHIR test server into our handler, hosted on 127.0.0.1; recovery by search against the same server.</summary>
[Collection(PeersCollection.Name)]
public sealed class FhirNotificationTests(Peers peers) : IAsyncLifetime
{
    private readonly string _authorization = $"Bearer notify-{Guid.NewGuid():N}";
    private readonly HttpClient _fhirHttp = new() { BaseAddress = peers.FhirUrl };
    private readonly HttpClient _client = new();
    private readonly RecordingStudyQueue _queue = new();
    private ImagingStudyPoller _poller = null!;
    private NotificationTestHost _host = null!;

    private FhirStore Store => new(_fhirHttp);

    public async Task InitializeAsync()
    {
        _poller = new ImagingStudyPoller(Store, new InMemoryPollCursorStore(), _queue,
            Options.Create(new PollingOptions { InitialLookback = TimeSpan.FromMinutes(10), Overlap = TimeSpan.FromSeconds(30) }),
            TimeProvider.System, NullLogger<ImagingStudyPoller>.Instance);
        var options = Options.Create(new NotificationOptions { ExpectedAuthorization = _authorization });
        var handler = new SubscriptionNotificationHandler(new NotificationAuthenticator(options), _queue, _poller,
            new SubscriptionEventCounter(), new FhirUrlPolicy(peers.FhirUrl), NullLogger<SubscriptionNotificationHandler>.Instance);
        _host = await NotificationTestHost.StartAsync(handler);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _client.Dispose();
        _fhirHttp.Dispose();
    }

    [Fact]
    public async Task TheServersRestHookEnqueuesExactlyOneEventPerNewStudy()
    {
        var subscription = await SubscribeAsync(_authorization);
        try
        {
            var first = await FreshSampleStudy.LoadAsync(Store);
            var second = await FreshSampleStudy.LoadAsync(Store, "pa-and-lateral-chest-dx-two-series");

            await WaitUntil(() => _queue.CountFor(first.ImagingStudyReference) > 0 && _queue.CountFor(second.ImagingStudyReference) > 0);
            await Task.Delay(500); // a duplicate would arrive within this

            Assert.Equal(1, _queue.CountFor(first.ImagingStudyReference));
            Assert.Equal(1, _queue.CountFor(second.ImagingStudyReference));
            Assert.All(_queue.Events, e => Assert.Equal("rest-hook", e.Source));
        }
        finally
        {
            await DeleteAsync(subscription);
        }
    }

    [Fact]
    public async Task ASubscriptionWithTheWrongHeaderIsRefusedAndEnqueuesNothing()
    {
        var subscription = await SubscribeAsync("Bearer not-the-secret");
        try
        {
            var sample = await FreshSampleStudy.LoadAsync(Store);
            await Task.Delay(1000);

            Assert.Equal(0, _queue.CountFor(sample.ImagingStudyReference));
        }
        finally
        {
            await DeleteAsync(subscription);
        }
    }

    [Theory]
    [InlineData(null, """{"resourceType":"ImagingStudy","id":"x1"}""", 401)]
    [InlineData("Bearer wrong", """{"resourceType":"ImagingStudy","id":"x1"}""", 401)]
    [InlineData("valid", "{ truncated", 400)]
    [InlineData("valid", """{"resourceType":"Bundle","type":"history","entry":[]}""", 400)]
    public async Task UnauthenticatedOrMalformedPostsAreRefusedWithAnOperationOutcome(string? authorization, string body, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _host.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization == "valid" ? _authorization : authorization);

        using var response = await _client.SendAsync(request);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Contains("\"OperationOutcome\"", await response.Content.ReadAsStringAsync());
        Assert.Empty(_queue.Events);
    }

    [Fact]
    public async Task ABackportGapIsRecoveredBySearch()
    {
        const string subscription = "Subscription/backport-1";
        var a = await FreshSampleStudy.LoadAsync(Store);
        var missed = await FreshSampleStudy.LoadAsync(Store);
        var c = await FreshSampleStudy.LoadAsync(Store);

        await PostAsync(FhirBackportBundles.Handshake(subscription));
        await PostAsync(FhirBackportBundles.Event(subscription, 1, a.ImagingStudyReference));
        Assert.Equal(0, _queue.CountFor(missed.ImagingStudyReference));
        await PostAsync(FhirBackportBundles.Event(subscription, 3, c.ImagingStudyReference)); // event 2 was lost

        Assert.Contains(_queue.Events, e => e.ImagingStudy == missed.ImagingStudyReference && e.Source == "recovery");
        Assert.Contains(_queue.Events, e => e.ImagingStudy == c.ImagingStudyReference && e.Source == "backport");
    }

    [Fact]
    public async Task AHeartbeatShowingUnseenEventsTriggersRecovery()
    {
        const string subscription = "Subscription/backport-2";
        await PostAsync(FhirBackportBundles.Handshake(subscription));
        await PostAsync(FhirBackportBundles.Heartbeat(subscription, 0));
        var missed = await FreshSampleStudy.LoadAsync(Store);
        Assert.Equal(0, _queue.CountFor(missed.ImagingStudyReference));

        await PostAsync(FhirBackportBundles.Heartbeat(subscription, 1)); // one event happened; we never got it

        Assert.Contains(_queue.Events, e => e.ImagingStudy == missed.ImagingStudyReference && e.Source == "recovery");
    }

    [Fact]
    public async Task PollingOverlapsWindowsButEnqueuesEachStudyVersionOnce()
    {
        var sample = await FreshSampleStudy.LoadAsync(Store);

        await _poller.PollOnceAsync();
        await _poller.PollOnceAsync();
        Assert.Equal(1, _queue.CountFor(sample.ImagingStudyReference));

        var study = await Store.ReadAsync<ImagingStudy>(sample.ImagingStudyReference);
        study.Description = "XR CHEST PA (amended)";
        await _fhirHttp.PutAsync(sample.ImagingStudyReference, new StringContent(study.ToJson(),
            Encoding.UTF8, "application/fhir+json"));
        await _poller.PollOnceAsync();
        await _poller.PollOnceAsync();

        Assert.Equal(2, _queue.CountFor(sample.ImagingStudyReference));
    }

    private async Task PostAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _host.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<Subscription> SubscribeAsync(string authorization) => await Store.CreateAsync(new Subscription
    {
        Status = Subscription.SubscriptionStatus.Active,
        Reason = "LlavaRad intake test",
        Criteria = "ImagingStudy?status=available",
        Channel = new Subscription.ChannelComponent
        {
            Type = Subscription.SubscriptionChannelType.RestHook,
            Endpoint = _host.Endpoint.ToString(),
            Payload = "application/fhir+json",
            Header = [$"Authorization: {authorization}"],
        },
    });

    private async Task DeleteAsync(Subscription subscription) => (await _fhirHttp.DeleteAsync($"Subscription/{subscription.Id}")).Dispose();

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !condition(); await Task.Delay(50))
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 10 s");
    }
}
