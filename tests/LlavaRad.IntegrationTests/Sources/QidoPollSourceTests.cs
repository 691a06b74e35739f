using System.Globalization;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Sr;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>The QIDO-RS safety net inside the real worker host, against the real Orthanc DICOMweb plugin.</summary>
[Collection(PeersCollection.Name)]
public sealed class QidoPollSourceTests(Peers peers) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task AStudyDatedTodayIsFoundByQidoAndSubmittedOnceItIsStable()
    {
        // Dated by the worker's own clock, as an acquisition today would be.
        var today = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var study = FreshDicomStudy.Create("pa-and-lateral-chest-dx-two-series", _dir, today);
        await using var worker = await StartAsync("--Sources:Qido:DefaultPriority=Urgent");
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };

        await new DicomWebClient(http).StoreAsync(study.Files);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(study.StudyInstanceUid) > 0), "study submitted");
        await WaitForPollsAsync(worker, 5);

        var submission = Assert.Single(worker.Submitter.Submissions, s => s.StudyInstanceUid == study.StudyInstanceUid);
        Assert.Equal(new StudyOrigin(StudyOriginKinds.DicomWeb, peers.DicomWebUrl.ToString()), submission.Origin);
        Assert.Equal(JobPriority.Urgent, submission.Priority);
        Assert.Equal("qido-poll", submission.SourceName);
        Assert.Equal(today, await worker.CursorAsync(QidoPollSource.CursorName));
        SamplePatientData.AssertAbsent("worker logs", worker.Logs.Lines);
    }

    [Fact]
    public async Task OurDraftSrStoredIntoTheStudyIsNoNewHandOverButANewImageIs()
    {
        var today = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var study = FreshDicomStudy.Create("pa-chest-dx-8bit-no-window", _dir, today);
        await using var worker = await StartAsync();
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var client = new DicomWebClient(http);
        Assert.Empty((await client.StoreAsync(study.Files)).Failures);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(study.StudyInstanceUid) == 1), "study submitted");

        Assert.Empty((await client.StoreAsync([DraftSrWriter.Write(study.DraftSr()).Part10])).Failures);
        // The SR did raise the study's instance count in Orthanc: without the image-only count it would be handed over again.
        Assert.Equal(study.Files.Count + 1, await StudyInstancesAsync(client, study.StudyInstanceUid));
        await WaitForPollsAsync(worker, 10);
        Assert.Equal(1, worker.Submitter.CountFor(study.StudyInstanceUid));

        // A new image into the same study is a real change: handed over again (the job key then decides what to redo).
        var later = FreshDicomStudy.Create("lateral-only-chest-dx", _dir, today);
        Assert.Empty((await client.StoreAsync([study.Adopt(later.Files[0], _dir)])).Failures);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(study.StudyInstanceUid) == 2), "new image handed over");
    }

    [Fact]
    public async Task AStudyHoldingOnlyOurDraftSrIsSkippedAsHavingNoImageSeries()
    {
        var today = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var study = FreshDicomStudy.Create("pa-chest-dx-8bit-no-window", _dir, today);
        await using var worker = await StartAsync();
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        Assert.Empty((await new DicomWebClient(http).StoreAsync([DraftSrWriter.Write(study.DraftSr()).Part10])).Failures); // no images

        await WorkerUnderTest.WaitUntil(async () => (await worker.ScrapeMetricsAsync()).Contains(
            $"disposition=\"{StudyImageInstances.NoImageSeries}\"", StringComparison.Ordinal), "the SR-only study skipped");
        await WaitForPollsAsync(worker, 5);
        Assert.Equal(0, worker.Submitter.CountFor(study.StudyInstanceUid));
        Assert.Contains(worker.Logs.Lines, l => l.Contains($"skipped ({StudyImageInstances.NoImageSeries})", StringComparison.Ordinal));
    }

    private Task<WorkerUnderTest> StartAsync(params string[] more) => WorkerUnderTest.StartAsync(_dir.File("jobs.db"),
        ["--Sources:Qido:Enabled=true", $"--Sources:Qido:Url={peers.DicomWebUrl}", "--Sources:Qido:Interval=00:00:00.300",
            "--Sources:Stability:QuietPeriod=00:00:01", "--Sources:Stability:SweepInterval=00:00:00.200", .. more]);

    /// <summary>Enough polls for the quiet period to pass several times over, however slowly the machine runs.</summary>
    private static async Task WaitForPollsAsync(WorkerUnderTest worker, int count)
    {
        var polls = worker.Logs.Lines.Count(IsPoll);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Logs.Lines.Count(IsPoll) >= polls + count), $"{count} more polls");
    }

    private static async Task<int?> StudyInstancesAsync(DicomWebClient client, string studyUid) =>
        Assert.Single(await client.SearchStudiesAsync(new Dictionary<string, string> { ["StudyInstanceUID"] = studyUid }))
            .GetInt(DicomTag.NumberOfStudyRelatedInstances);

    private static bool IsPoll(string line) => line.Contains("QIDO poll from", StringComparison.Ordinal);

    public void Dispose() => _dir.Dispose();
}
