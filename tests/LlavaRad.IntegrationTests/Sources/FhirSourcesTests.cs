using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using LlavaRad.Fhir;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>The FHIR poll source and the notification endpoint inside the real worker host, against the real FHIR server.</summary>
[Collection(PeersCollection.Name)]
public sealed class FhirSourcesTests(Peers peers) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _authorization = $"Bearer notify-{Guid.NewGuid():N}";
    private readonly HttpClient _fhirHttp = new() { BaseAddress = peers.FhirUrl };

    private FhirStore Store => new(_fhirHttp);

    /// <summary>request-priority codes as the job priorities the issue asks for, written here, not taken from the code under test.</summary>
    private static JobPriority Expected(string orderPriority) => orderPriority switch
    {
        "stat" => JobPriority.Stat,
        "urgent" => JobPriority.Urgent,
        "routine" => JobPriority.Routine,
        _ => throw new ArgumentOutOfRangeException(nameof(orderPriority)),
    };

    private string[] Fhir => [$"--Fhir:BaseUrl={peers.FhirUrl}", $"--DicomWeb:BaseUrl={peers.DicomWebUrl}", "--Sources:Stability:QuietPeriod=00:00:01",
        "--Sources:Stability:SweepInterval=00:00:00.200"];

    private string[] Polling => [.. Fhir, "--Sources:FhirPoll:Enabled=true", "--Fhir:Polling:Interval=00:00:00.300",
        "--Fhir:Polling:InitialLookback=00:10:00", "--Fhir:Polling:Overlap=00:00:30"];

    private string[] Notifications => [.. Fhir, "--Sources:FhirNotifications:Enabled=true",
        $"--Fhir:Notifications:ExpectedAuthorization={_authorization}"];

    [Fact]
    public async Task APolledImagingStudyIsSubmittedOnceWithItsOrdersPriority()
    {
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), Polling);
        var sample = await FreshSampleStudy.LoadAsync(Store, "ap-portable-chest-cr-mono1");

        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(sample.StudyInstanceUid) > 0), "study submitted");
        await WaitForMorePollsAsync(worker, polls: 3);

        var submission = Assert.Single(worker.Submitter.Submissions, s => s.StudyInstanceUid == sample.StudyInstanceUid);
        Assert.Equal(Expected((string)sample.Order["priority"]!), submission.Priority);
        Assert.Equal(new StudyOrigin(StudyOriginKinds.Fhir, sample.ImagingStudyReference), submission.Origin);
        Assert.Equal("fhir-poll", submission.SourceName);
        Assert.NotNull(await worker.CursorAsync(LlavaRad.Fhir.Intake.ImagingStudyPoller.CursorName));
        SamplePatientData.AssertAbsent("worker logs", worker.Logs.Lines);
        SamplePatientData.AssertAbsent("metrics", [await worker.ScrapeMetricsAsync()]);
    }

    [Fact]
    public async Task AnAuthenticatedNotificationSubmitsTheStudyWithItsOrdersPriority()
    {
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), Notifications);
        var sample = await FreshSampleStudy.LoadAsync(Store, "pa-and-lateral-chest-dx-two-series");

        using var response = await NotifyAsync(worker, sample, _authorization);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(sample.StudyInstanceUid) > 0), "study submitted");
        var submission = Assert.Single(worker.Submitter.Submissions, s => s.StudyInstanceUid == sample.StudyInstanceUid);
        Assert.Equal(Expected((string)sample.Order["priority"]!), submission.Priority);
        Assert.Equal("fhir-notification", submission.SourceName);
        SamplePatientData.AssertAbsent("worker logs", worker.Logs.Lines);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-the-secret")]
    public async Task AnUnauthenticatedNotificationIsRefusedWith401AndSubmitsNothing(string? authorization)
    {
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), Notifications);
        var sample = await FreshSampleStudy.LoadAsync(Store);

        var control = await FreshSampleStudy.LoadAsync(Store);

        using var response = await NotifyAsync(worker, sample, authorization);
        // A control notified afterwards, with the right header, is submitted after the same quiet period: once it
        // is, the refused study would have been too, had it been accepted.
        (await NotifyAsync(worker, control, _authorization)).Dispose();
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(control.StudyInstanceUid) > 0), "control submitted");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, worker.Submitter.CountFor(sample.StudyInstanceUid));
    }

    [Fact]
    public async Task TheFhirServersOwnRestHookReachesTheWorkersEndpoint()
    {
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), Notifications);
        var subscription = await Store.CreateAsync(new Subscription
        {
            Status = Subscription.SubscriptionStatus.Active,
            Reason = "LlavaRad worker source test",
            Criteria = "ImagingStudy?status=available",
            Channel = new Subscription.ChannelComponent
            {
                Type = Subscription.SubscriptionChannelType.RestHook,
                Endpoint = new Uri(worker.Http.BaseAddress!, "fhir/notifications").ToString(),
                Payload = "application/fhir+json",
                Header = [$"Authorization: {_authorization}"],
            },
        });
        try
        {
            var sample = await FreshSampleStudy.LoadAsync(Store);
            await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(sample.StudyInstanceUid) > 0), "study submitted");
            Assert.Equal(new StudyOrigin(StudyOriginKinds.Fhir, sample.ImagingStudyReference),
                worker.Submitter.Submissions.First(s => s.StudyInstanceUid == sample.StudyInstanceUid).Origin);
        }
        finally
        {
            (await _fhirHttp.DeleteAsync($"Subscription/{subscription.Id}")).Dispose();
        }
    }

    [Fact]
    public async Task AFhirServerThatIsDownMakesTheWorkerUnreadyAndThePollRetryWithItsCode()
    {
        var down = $"http://127.0.0.1:{ClosedPort.Next()}/fhir/R4";
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), "--Sources:FhirPoll:Enabled=true",
            $"--Fhir:BaseUrl={down}", "--Fhir:Polling:Interval=00:00:00.300", "--Fhir:Retry:MaxAttempts=1");

        await WorkerUnderTest.WaitUntil(() => Task.FromResult(
            worker.Logs.Lines.Count(l => l.Contains("Source fhir-poll failed: fhir-", StringComparison.Ordinal)) >= 2), "two failed polls logged");
        using var ready = await worker.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"fhir\":{\"status\":\"Unhealthy\"", await ready.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> NotifyAsync(WorkerUnderTest worker, FreshSampleStudy sample, string? authorization)
    {
        // Classic R4 rest-hook with a payload: PUT {endpoint}/ImagingStudy/{id}.
        var id = sample.ImagingStudyReference.Split('/')[1];
        var request = new HttpRequestMessage(HttpMethod.Put, $"fhir/notifications/ImagingStudy/{id}")
        {
            Content = new StringContent($$"""{"resourceType":"ImagingStudy","id":"{{id}}"}""", Encoding.UTF8, "application/fhir+json"),
        };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await worker.Http.SendAsync(request);
    }

    private static async Task WaitForMorePollsAsync(WorkerUnderTest worker, int polls)
    {
        var before = PollCount(worker);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(PollCount(worker) >= before + polls), $"{polls} more polls");
    }

    /// <summary>The poller logs one line per poll ("ImagingStudy poll: N in window, M new").</summary>
    private static int PollCount(WorkerUnderTest worker) =>
        worker.Logs.Lines.Count(l => l.Contains("ImagingStudy poll:", StringComparison.Ordinal));

    public void Dispose()
    {
        _fhirHttp.Dispose();
        _dir.Dispose();
    }
}
