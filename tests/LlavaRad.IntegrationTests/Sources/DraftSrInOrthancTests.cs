using System.Text.Json;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Sr;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sinks;
using LlavaRad.Worker.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>The AI-draft SR stored into its source study in the real Orthanc, and what the change feed makes of it.</summary>
[Collection(PeersCollection.Name)]
public sealed class DraftSrInOrthancTests(Peers peers) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task AStoredDraftSrIsAnSrSeriesOfTheSourceStudyThroughQidoAndWado()
    {
        var study = FreshDicomStudy.Create("pa-chest-dx-8bit-no-window", _dir);
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var client = new DicomWebClient(http);
        Assert.Empty((await client.StoreAsync(study.Files)).Failures);

        var sr = DraftSrWriter.Write(study.DraftSr());
        var stored = await client.StoreAsync([sr.Part10]);
        Assert.Empty(stored.Failures);

        var series = await client.SearchSeriesAsync(study.StudyInstanceUid, new Dictionary<string, string> { ["includefield"] = "SeriesDescription" });
        var srSeries = Assert.Single(series, s => s.GetString(DicomTag.Modality) == "SR");
        Assert.Equal(sr.SeriesInstanceUid, srSeries.GetString(DicomTag.SeriesInstanceUid));
        Assert.Contains("AI DRAFT", srSeries.GetString(DicomTag.SeriesDescription), StringComparison.Ordinal);
        Assert.Contains(series, s => s.GetString(DicomTag.Modality) != "SR"); // the source images' series is still there

        var retrieved = await client.RetrieveInstanceAsync(study.StudyInstanceUid, sr.SeriesInstanceUid, sr.SopInstanceUid);
        var file = _dir.File("retrieved.dcm");
        await File.WriteAllBytesAsync(file, retrieved.Part10.ToArray());
        using var read = JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3",
            Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Imaging.Tests", "sr", "read_sr.py"), file));
        Assert.Equal(study.StudyInstanceUid, read.RootElement.GetProperty("studyUid").GetString());
        Assert.Equal(sr.SopInstanceUid, read.RootElement.GetProperty("sopInstance").GetString());
        Assert.Equal("UNVERIFIED", read.RootElement.GetProperty("verification").GetString());
    }

    [Fact]
    public async Task TheDraftSrComingBackThroughTheChangeFeedMakesNoNewJob()
    {
        await using var worker = await WorkerUnderTest.StartAsync(_dir.File("jobs.db"), "--Sources:Orthanc:Enabled=true",
            $"--Sources:Orthanc:Url={peers.OrthancUrl}", $"--Sources:Orthanc:DicomWebUrl={peers.DicomWebUrl}", "--Sources:Orthanc:Interval=00:00:00.200");
        await WorkerUnderTest.WaitUntil(async () => await worker.CursorAsync(OrthancChangesSource.CursorName) is not null, "first poll");
        var study = FreshDicomStudy.Create("pa-chest-dx-8bit-no-window", _dir);
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var client = new DicomWebClient(http);
        Assert.Empty((await client.StoreAsync(study.Files)).Failures);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(study.StudyInstanceUid) == 1), "study submitted");

        Assert.Empty((await client.StoreAsync([DraftSrWriter.Write(study.DraftSr()).Part10])).Failures);
        // Orthanc announces the study as stable again once the SR has aged; the source sees that only our SR changed it.
        await WorkerUnderTest.WaitUntil(async () => (await worker.ScrapeMetricsAsync()).Contains("disposition=\"own-sr-echo\"", StringComparison.Ordinal),
            "the SR's StableStudy skipped at the source", seconds: 60);

        Assert.Equal(1, worker.Submitter.CountFor(study.StudyInstanceUid));
        Assert.Contains(worker.Logs.Lines, l => l.Contains("skipped (own-sr-echo)", StringComparison.Ordinal));

        // A new image into the same study after the SR is a real change: handed over again.
        var later = FreshDicomStudy.Create("lateral-only-chest-dx", _dir);
        Assert.Empty((await client.StoreAsync([study.Adopt(later.Files[0], _dir)])).Failures);
        await WorkerUnderTest.WaitUntil(() => Task.FromResult(worker.Submitter.CountFor(study.StudyInstanceUid) == 2), "new image re-announced", seconds: 60);
    }

    [Fact]
    public async Task TheSrSinkStoresOneInstancePerDraftAndANewModelVersionNamesTheLastAsPredecessor()
    {
        var study = FreshDicomStudy.Create("pa-chest-dx-8bit-no-window", _dir);
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var client = new DicomWebClient(http);
        Assert.Empty((await client.StoreAsync(study.Files)).Failures);
        using var services = new ServiceCollection().AddHttpClient().AddMetrics().BuildServiceProvider();
        var sinks = Sinks(services, allowedBase: peers.DicomWebUrl.ToString());
        var image = Part10Reader.Read(study.Files[0]).Dataset;

        var first = Draft(study, image, modelVersion: "0.1.0");
        await sinks.DeliverAsync(SinkNames.SrStow, first, image, CancellationToken.None);
        await sinks.DeliverAsync(SinkNames.SrStow, first, image, CancellationToken.None); // a retried job finds its SR stored and adds none
        var firstUid = DraftSrWriter.InstanceUid(study.StudyInstanceUid, new DraftKeys(first, new WriteBackOptions()).Key);
        Assert.Equal([firstUid], await SrInstancesAsync(client, study.StudyInstanceUid));

        var second = Draft(study, image, modelVersion: "0.2.0"); // a re-run with another model version: a new draft version
        await sinks.DeliverAsync(SinkNames.SrStow, second, image, CancellationToken.None);
        var secondUid = DraftSrWriter.InstanceUid(study.StudyInstanceUid, new DraftKeys(second, new WriteBackOptions()).Key);
        Assert.Equal(new[] { firstUid, secondUid }.Order(StringComparer.Ordinal), await SrInstancesAsync(client, study.StudyInstanceUid));

        // The predecessor as an independent reader (pydicom) sees it in the SR that WADO-RS returns.
        var retrieved = await client.RetrieveInstanceAsync(study.StudyInstanceUid, DraftSrWriter.SeriesUid(study.StudyInstanceUid), secondUid);
        var file = _dir.File("second.dcm");
        await File.WriteAllBytesAsync(file, retrieved.Part10.ToArray());
        using var read = JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3",
            Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Imaging.Tests", "sr", "read_sr.py"), file));
        Assert.Equal(firstUid, read.RootElement.GetProperty("predecessorSop").GetString());
        Assert.Equal(DraftSrWriter.SeriesUid(study.StudyInstanceUid), read.RootElement.GetProperty("predecessorSeries").GetString());
        Assert.Equal(DraftSrWriter.ComprehensiveSrSopClass, read.RootElement.GetProperty("predecessorSopClass").GetString());
        Assert.Equal(study.StudyInstanceUid, read.RootElement.GetProperty("predecessorStudy").GetString());
    }

    [Fact]
    public async Task AStowUrlOffTheAllowlistStoresNothing()
    {
        var study = FreshDicomStudy.Create("pa-chest-dx-8bit-no-window", _dir);
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var client = new DicomWebClient(http);
        Assert.Empty((await client.StoreAsync(study.Files)).Failures);
        using var services = new ServiceCollection().AddHttpClient().AddMetrics().BuildServiceProvider();
        var sinks = Sinks(services, allowedBase: "http://pacs.invalid/dicom-web/");
        var image = Part10Reader.Read(study.Files[0]).Dataset;

        var failure = await Assert.ThrowsAsync<StudyPipelineException>(() =>
            sinks.DeliverAsync(SinkNames.SrStow, Draft(study, image, "0.1.0"), image, CancellationToken.None));
        Assert.Equal(PipelineReasons.DicomWebEndpointNotAllowed, failure.Outcome.Code);
        Assert.Empty(await SrInstancesAsync(client, study.StudyInstanceUid));
    }

    private SiteExportSinks Sinks(ServiceProvider services, string allowedBase)
    {
        var allowlist = new DicomWebAllowlist(Microsoft.Extensions.Options.Options.Create(new DicomWebClientOptions { BaseUrl = allowedBase }),
            Microsoft.Extensions.Options.Options.Create(new StudySourcesOptions()));
        var exports = Microsoft.Extensions.Options.Options.Create(new ExportOptions { StowUrl = peers.DicomWebUrl.ToString() });
        return new SiteExportSinks(exports, Microsoft.Extensions.Options.Options.Create(new WriteBackOptions()),
            new DraftSrStowSink(exports, allowlist, services.GetRequiredService<IHttpClientFactory>(),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<DraftSrStowSink>.Instance),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SiteExportSinks>.Instance);
    }

    private static DraftReportRequest Draft(FreshDicomStudy study, IDicomAttributes image, string modelVersion) => new(
        new StudyReferences(study.StudyInstanceUid, "ImagingStudy/1", "Patient/1", null, null, DateTimeOffset.UnixEpoch, null,
            image.GetString(DicomTag.SopInstanceUid)!),
        "No acute cardiopulmonary process.", new ModelIdentity("tiny", "tiny", modelVersion, new string('a', 64)), "1", [],
        WorklistUrgency.Routine, DateTimeOffset.UnixEpoch);

    private static async Task<IReadOnlyList<string>> SrInstancesAsync(DicomWebClient client, string studyUid) =>
        [.. (await client.SearchInstancesAsync(studyUid, new Dictionary<string, string> { ["Modality"] = "SR" }))
            .Select(i => i.GetString(DicomTag.SopInstanceUid)!).Order(StringComparer.Ordinal)];

    public void Dispose() => _dir.Dispose();
}
