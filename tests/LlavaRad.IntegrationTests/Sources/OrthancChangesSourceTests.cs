using System.Globalization;
using System.Net;
using System.Text.Json;
using LlavaRad.Imaging;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>The Orthanc /changes source inside the real worker host, against the real Orthanc (StableAge 2 s).</summary>
[Collection(PeersCollection.Name)]
public sealed class OrthancChangesSourceTests(Peers peers, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string[] OrthancSource => ["--Sources:Orthanc:Enabled=true", $"--Sources:Orthanc:Url={peers.OrthancUrl}",
        $"--Sources:Orthanc:DicomWebUrl={peers.DicomWebUrl}", "--Sources:Orthanc:Interval=00:00:00.200"];

    [Fact]
    public async Task EachUploadedStudyIsSubmittedExactlyOnceAfterOrthancFindsItStable()
    {
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), OrthancSource);
        await WaitForFirstPollAsync(worker);
        var twoSeries = FreshDicomStudy.Create("pa-and-lateral-chest-dx-two-series", _dir);
        var single = FreshDicomStudy.Create("ap-portable-chest-cr-mono1", _dir);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await UploadAsync(twoSeries);
        await UploadAsync(single);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(
            worker.Submitter.CountFor(twoSeries.StudyInstanceUid) > 0 && worker.Submitter.CountFor(single.StudyInstanceUid) > 0),
            "both studies submitted");
        output.WriteLine($"upload to submission of both studies: {clock.ElapsedMilliseconds} ms (Orthanc StableAge 2 s, poll every 200 ms)");
        await WaitUntilCaughtUpAsync(worker); // everything Orthanc logged until now has been read

        Assert.Equal(1, worker.Submitter.CountFor(twoSeries.StudyInstanceUid));
        Assert.Equal(1, worker.Submitter.CountFor(single.StudyInstanceUid));
        var submission = worker.Submitter.Submissions.Single(s => s.StudyInstanceUid == twoSeries.StudyInstanceUid);
        Assert.Equal(new StudyOrigin(StudyOriginKinds.DicomWeb, peers.DicomWebUrl.ToString()), submission.Origin);
        Assert.Equal("orthanc-changes", submission.SourceName);
        Assert.Equal(JobPriority.Routine, submission.Priority);
        SamplePatientData.AssertAbsent("worker logs", worker.Logs.Lines);
        SamplePatientData.AssertAbsent("metrics", [await worker.ScrapeMetricsAsync()]);
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Contains(twoSeries.StudyInstanceUid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARestartedWorkerResumesFromItsCursorAndDoesNotResubmitOldStudies()
    {
        var before = FreshDicomStudy.Create("pa-chest-dx-8bit-no-window", _dir);
        var after = FreshDicomStudy.Create("lateral-only-chest-dx", _dir);
        await using (var first = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), OrthancSource))
        {
            await WaitForFirstPollAsync(first);
            await UploadAsync(before);
            await WorkerUnderTest.WaitUntil(() => Task.FromResult(first.Submitter.CountFor(before.StudyInstanceUid) == 1), "first study submitted");
        }

        await UploadThroughOrthancRestAsync(after); // while no worker runs; Orthanc's own REST upload this time
        await using var second = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), OrthancSource);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(second.Submitter.CountFor(after.StudyInstanceUid) == 1),
            "study uploaded during the restart submitted");
        await WaitUntilCaughtUpAsync(second);

        Assert.Equal(0, second.Submitter.CountFor(before.StudyInstanceUid));
        Assert.Equal(1, second.Submitter.CountFor(after.StudyInstanceUid));
    }

    [Fact]
    public async Task AnOrthancThatIsDownIsLoggedWithItsCodeAndRetriedWhileTheWorkerStaysUp()
    {
        var down = new Uri($"http://127.0.0.1:{ClosedPort.Next()}");
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), "--Sources:Orthanc:Enabled=true",
            $"--Sources:Orthanc:Url={down}", $"--Sources:Orthanc:DicomWebUrl={down}dicom-web", "--Sources:Orthanc:Interval=00:00:00.200");

        await WorkerUnderTest.WaitUntil(() => Task.FromResult(
            worker.Logs.Lines.Count(l => l.Contains("orthanc-changes failed: orthanc-unreachable", StringComparison.Ordinal)) >= 3),
            "three failed polls logged with their code");

        using var live = await worker.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await worker.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("dicomweb-unreachable", await ready.Content.ReadAsStringAsync());
        var metrics = await worker.ScrapeMetricsAsync();
        Assert.Contains("llavarad_worker_source_failures_total{", metrics);
        Assert.Contains("reason=\"orthanc-unreachable\"", metrics);
    }

    private async Task UploadAsync(FreshDicomStudy study)
    {
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var result = await new DicomWebClient(http).StoreAsync(study.Files);
        Assert.Empty(result.Failures);
    }

    /// <summary>POST /instances, one Part 10 file per request: how modalities' gateways often push into Orthanc.</summary>
    private async Task UploadThroughOrthancRestAsync(FreshDicomStudy study)
    {
        using var http = new HttpClient { BaseAddress = peers.OrthancUrl };
        foreach (var file in study.Files)
        {
            using var content = new ByteArrayContent(file);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/dicom");
            using var response = await http.PostAsync("instances", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static Task WaitForFirstPollAsync(WorkerUnderTest worker) =>
        WorkerUnderTest.WaitUntil(async () => await worker.CursorAsync(OrthancChangesSource.CursorName) is not null, "first poll");

    /// <summary>Waits until the worker's cursor reaches the end of Orthanc's change log as it is now.</summary>
    private async Task WaitUntilCaughtUpAsync(WorkerUnderTest worker)
    {
        using var http = new HttpClient { BaseAddress = peers.OrthancUrl };
        using var last = JsonDocument.Parse(await http.GetStringAsync("changes?last"));
        var end = last.RootElement.GetProperty("Last").GetInt64();
        await WorkerUnderTest.WaitUntil(async () =>
            long.Parse(await worker.CursorAsync(OrthancChangesSource.CursorName) ?? "0", CultureInfo.InvariantCulture) >= end,
            "worker read Orthanc's change log to its end");
    }

    public void Dispose() => _dir.Dispose();
}
