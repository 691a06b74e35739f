using System.Globalization;
using LlavaRad.Imaging;
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
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), "--Sources:Qido:Enabled=true",
            $"--Sources:Qido:Url={peers.DicomWebUrl}", "--Sources:Qido:Interval=00:00:00.300", "--Sources:Qido:DefaultPriority=Urgent",
            "--Sources:Stability:QuietPeriod=00:00:01", "--Sources:Stability:SweepInterval=00:00:00.200");
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };

        await new DicomWebClient(http).StoreAsync(study.Files);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(study.StudyInstanceUid) > 0), "study submitted");
        var polls = worker.Logs.Lines.Count(IsPoll);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Logs.Lines.Count(IsPoll) >= polls + 5), "five more polls");

        var submission = Assert.Single(worker.Submitter.Submissions, s => s.StudyInstanceUid == study.StudyInstanceUid);
        Assert.Equal(new StudyOrigin(StudyOriginKinds.DicomWeb, peers.DicomWebUrl.ToString()), submission.Origin);
        Assert.Equal(JobPriority.Urgent, submission.Priority);
        Assert.Equal("qido-poll", submission.SourceName);
        Assert.Equal(today, await worker.CursorAsync(QidoPollSource.CursorName));
        SamplePatientData.AssertAbsent("worker logs", worker.Logs.Lines);
    }

    private static bool IsPoll(string line) => line.Contains("QIDO poll from", StringComparison.Ordinal);

    public void Dispose() => _dir.Dispose();
}
