using LlavaRad.Fhir.Http;
using System.Security.Cryptography;
using System.Text;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Tests;

public class SubscriptionNotificationHandlerTests
{
    private const string Secret = "Bearer notify-7f3a";
    private const string HmacSecret = "hmac-secret-42";
    private readonly RecordingQueue _queue = new();
    private readonly CountingRecovery _recovery = new();
    private readonly SubscriptionNotificationHandler _handler;

    public SubscriptionNotificationHandlerTests()
    {
        var options = Options.Create(new NotificationOptions { ExpectedAuthorization = Secret, HmacSecret = HmacSecret });
        _handler = new SubscriptionNotificationHandler(new NotificationAuthenticator(options), _queue, _recovery, new SubscriptionEventCounter(),
            new FhirUrlPolicy(new Uri("http://ehr.example.org/fhir/R4/")), NullLogger<SubscriptionNotificationHandler>.Instance);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer notify-7f3")]
    public async Task WithoutTheConfiguredAuthorizationItIs401AndNothingIsEnqueued(string? authorization)
    {
        var response = await _handler.HandleAsync(Request(FullStudy("s1"), authorization));

        Assert.Equal(401, response.StatusCode);
        Assert.NotNull(response.Outcome);
        Assert.Empty(_queue.Events);
        Assert.Equal(0, _recovery.Calls);
    }

    [Fact]
    public async Task AValidHmacSignatureIsAccepted()
    {
        var body = FullStudy("s1");
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HmacSecret), Encoding.UTF8.GetBytes(body)));

        var good = await _handler.HandleAsync(Request(body, null, ("X-Hub-Signature-256", signature)));
        var tampered = await _handler.HandleAsync(Request(body.Replace("s1", "s2"), null, ("X-Hub-Signature-256", signature)));

        Assert.Equal(200, good.StatusCode);
        Assert.Equal(401, tampered.StatusCode);
        Assert.Equal(["ImagingStudy/s1"], _queue.Events.Select(e => e.ImagingStudy));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"resourceType":"ImagingStudy","id":42}""")]
    [InlineData("""{"resourceType":"Bundle","type":"history","entry":[{"resource":{"resourceType":"Patient","id":"p"}}]}""")]
    [InlineData("""{"resourceType":"Bundle","type":"no-such-type"}""")]
    [InlineData("""{"resourceType":"NoSuchType"}""")]
    [InlineData("""{"resourceType":"Patient","id":"p"}""")]
    public async Task MalformedOrUnexpectedBodiesAre400WithAnOperationOutcome(string body)
    {
        var response = await _handler.HandleAsync(Request(body, Secret));

        Assert.Equal(400, response.StatusCode);
        Assert.NotEmpty(response.Outcome!.Issue);
        Assert.Empty(_queue.Events);
    }

    [Theory]
    [InlineData("ImagingStudy/..%2F..%2Fmetadata")]
    [InlineData("ImagingStudy/..")]
    [InlineData("ImagingStudy/has space")]
    [InlineData("http://fhir-harvest.example/fhir/R4/ImagingStudy/b")] // off the configured base: fhir-url-not-allowed
    public async Task AnEventFocusThatIsNotAFhirIdIsNotPassedOn(string focus)
    {
        var response = await _handler.HandleAsync(Request(FhirBackportBundles.Event("Subscription/s", 1, focus), Secret));

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(_queue.Events);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("..%2F..%2Fmetadata")]
    public async Task AnIdInThePathThatIsNotAFhirIdIs400(string id)
    {
        var response = await _handler.HandleAsync(Request("""{"resourceType":"ImagingStudy"}""", Secret, path: "ImagingStudy/" + id));

        Assert.Equal(400, response.StatusCode);
        Assert.Empty(_queue.Events);
    }

    [Fact]
    public async Task FullAndIdOnlyPayloadsEnqueueTheStudy()
    {
        await _handler.HandleAsync(Request(FullStudy("full-1"), Secret));
        await _handler.HandleAsync(Request("""{"resourceType":"ImagingStudy","id":"idonly-2"}""", Secret));
        await _handler.HandleAsync(Request("""{"resourceType":"ImagingStudy"}""", Secret, path: "ImagingStudy/path-3"));

        Assert.Equal(["ImagingStudy/full-1", "ImagingStudy/idonly-2", "ImagingStudy/path-3"], _queue.Events.Select(e => e.ImagingStudy));
        Assert.Equal("v7", _queue.Events[0].VersionId);
    }

    [Fact]
    public async Task AnEmptyPingRecoversBySearch()
    {
        var response = await _handler.HandleAsync(Request("", Secret));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, _recovery.Calls);
        Assert.Empty(_queue.Events);
    }

    [Fact]
    public async Task BackportEventsAreEnqueuedAndGapsRecovered()
    {
        const string sub = "Subscription/sub-1";
        await _handler.HandleAsync(Request(FhirBackportBundles.Handshake(sub), Secret));
        await _handler.HandleAsync(Request(FhirBackportBundles.Event(sub, 1, "ImagingStudy/a"), Secret));
        await _handler.HandleAsync(Request(FhirBackportBundles.Event(sub, 2, "http://ehr.example.org/fhir/R4/ImagingStudy/b/_history/1"), Secret));
        await _handler.HandleAsync(Request(FhirBackportBundles.Heartbeat(sub, 2), Secret));
        Assert.Equal(0, _recovery.Calls);

        await _handler.HandleAsync(Request(FhirBackportBundles.Event(sub, 4, "ImagingStudy/d"), Secret)); // event 3 never came
        Assert.Equal(1, _recovery.Calls);

        await _handler.HandleAsync(Request(FhirBackportBundles.Heartbeat(sub, 6), Secret)); // 5 and 6 never came
        Assert.Equal(2, _recovery.Calls);
        Assert.Equal(["ImagingStudy/a", "ImagingStudy/b", "ImagingStudy/d"], _queue.Events.Select(e => e.ImagingStudy));
    }

    private static string FullStudy(string id) =>
        $$$"""{"resourceType":"ImagingStudy","id":"{{{id}}}","meta":{"versionId":"v7"},"status":"available","subject":{"reference":"Patient/p1"}}""";

    private static NotificationRequest Request(string body, string? authorization, (string, string)? header = null, string? path = null)
    {
        var headers = new Dictionary<string, string>();
        if (authorization is not null) headers["Authorization"] = authorization;
        if (header is { } h) headers[h.Item1] = h.Item2;
        return new NotificationRequest("POST", path, headers, Encoding.UTF8.GetBytes(body));
    }

    private sealed class RecordingQueue : IStudyEventQueue
    {
        public List<StudyEvent> Events { get; } = [];
        public ValueTask EnqueueAsync(StudyEvent studyEvent, CancellationToken cancellationToken)
        {
            Events.Add(studyEvent);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class CountingRecovery : IMissedEventRecovery
    {
        public int Calls { get; private set; }
        public Task RecoverAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.CompletedTask;
        }
    }
}
