using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Contracts;
using LlavaRad.Fhir;
using LlavaRad.Imaging;
using LlavaRad.Worker;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>
/// The worker in-process against the real peers: an ImagingStudy on the FHIR server whose Endpoint is Orthanc,
/// our real inference node with the tiny model, the SQLite job store.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class WorkerEndToEndTests(Peers peers) : IAsyncLifetime
{
    private static readonly TimeSpan JobLimit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private readonly TinyNode _node = new();
    private WebApplication? _worker;

    private FhirStore Fhir => new(new HttpClient { BaseAddress = peers.FhirUrl });
    private DicomWebClient DicomWeb => new(new HttpClient { BaseAddress = peers.DicomWebUrl });
    private string AuditFile => _dir.File("audit.jsonl");

    public async Task InitializeAsync()
    {
        await _node.StartAsync();
        _worker = WorkerHost.Build(
        [
            "--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={_dir.File("jobs.db")}", $"--InferenceNode:Address={_node.Address}",
            "--InferenceNode:CallTimeout=00:01:00", $"--Fhir:BaseUrl={peers.FhirUrl}", $"--DicomWeb:BaseUrl={peers.DicomWebUrl}", $"--Pipeline:DraftFolder={_dir.File("drafts")}",
            "--Pipeline:IdlePollInterval=00:00:00.100", "--Pipeline:MaxNewTokens=16", $"--Audit:FilePath={AuditFile}",
        ], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await _worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync();
            await _worker.DisposeAsync();
        }
        await _node.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task AnImagingStudyWithItsEndpointAtOrthancBecomesOnePreliminaryReportWithProvenanceAndTask()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-and-lateral-chest-dx-two-series");

        var job = await SubmitAndWaitAsync(study);

        Assert.True(job.State == JobState.Succeeded, $"job ended {job.State}: {job.LastError}");
        var report = Assert.Single(await WorkerDrafts.ReportsForAsync(Fhir, study));
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, report.Status);
        var provenance = await Fhir.SearchAsync<Provenance>(new SearchParams().Add("target", $"DiagnosticReport/{report.Id}"));
        var source = Assert.Single(provenance).Entity.Select(e => e.What.Identifier?.Value).OfType<string>().Single();
        Assert.Equal($"urn:oid:{study.NewUids[ExpectedImage("pa-and-lateral-chest-dx-two-series")]}", source);
        var tasks = (await Fhir.SearchAsync<Hl7.Fhir.Model.Task>(new SearchParams().Add("patient", study.Patient).LimitTo(200)))
            .Where(t => t.Input.Any(i => i.Value is ResourceReference r && r.Reference == $"DiagnosticReport/{report.Id}")).ToList();
        Assert.Single(tasks);
    }

    [Fact]
    public async Task RunningTheSameJobAgainWritesNoSecondReport()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-chest-dx-8bit-no-window");
        var job = await SubmitAndWaitAsync(study);
        Assert.Equal(JobState.Succeeded, job.State);

        var again = await _worker!.Services.GetRequiredService<StudyPipeline>().RunAsync(job, CancellationToken.None);

        Assert.False(again.Draft.Created);
        Assert.Single(await WorkerDrafts.ReportsForAsync(Fhir, study));
    }

    [Fact]
    public async Task ALateralOnlyStudyIsACodedRejectionAndNoReport()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "lateral-only-chest-dx");

        var job = await SubmitAndWaitAsync(study);

        Assert.Equal(JobState.Rejected, job.State);
        Assert.Equal("no-frontal-view", job.LastError);
        Assert.Empty(await WorkerDrafts.ReportsForAsync(Fhir, study));
    }

    [Fact]
    public async Task EveryDicomWebReadAndFhirWriteHasAnAuditEvent()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-chest-dx-12bit-rescaled");
        Assert.Equal(JobState.Succeeded, (await SubmitAndWaitAsync(study)).State);
        var report = Assert.Single(await WorkerDrafts.ReportsForAsync(Fhir, study));

        var events = File.ReadAllLines(AuditFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        bool Has(string subtype, string entity) => events.Any(e =>
            e.GetProperty("resourceType").GetString() == "AuditEvent"
            && e.GetProperty("subtype")[0].GetProperty("code").GetString() == subtype
            && e.GetProperty("outcome").GetString() == "0"
            && e.GetProperty("entity").GetRawText().Contains(entity, StringComparison.Ordinal));
        Assert.True(Has("wado-rs-retrieve", $"urn:oid:{study.StudyInstanceUid}"), "no audit of the DICOMweb retrieval");
        Assert.True(Has("read", study.ImagingStudyReference), "no audit of the ImagingStudy read");
        Assert.True(Has("transaction", study.ImagingStudyReference), "no audit of the FHIR write");
        Assert.True(Has("create", $"DiagnosticReport/{report.Id}"), "no audit naming the report created");
    }

    private async Task<Job> SubmitAndWaitAsync(WorkerSampleStudy study)
    {
        var submitter = _worker!.Services.GetRequiredService<IStudySubmitter>();
        await submitter.SubmitAsync(new StudySubmission(study.StudyInstanceUid, JobPriority.Routine,
            new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference), "test"), CancellationToken.None);
        var store = _worker.Services.GetRequiredService<IJobStore>();
        var key = new JobRequest(study.StudyInstanceUid, "llava-rad", "1", JobPriority.Routine).Key;
        using var limit = new CancellationTokenSource(JobLimit);
        while (true)
        {
            var job = await store.FindAsync(key, limit.Token);
            if (job is { State: JobState.Succeeded or JobState.Rejected or JobState.DeadLettered }) return job;
            await Task.Delay(100, limit.Token);
        }
    }

    private static string ExpectedImage(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "manifest.json")));
        return manifest.RootElement.GetProperty("studies").EnumerateArray()
            .Single(s => s.GetProperty("folder").GetString() == $"studies/{folder}")
            .GetProperty("expectedSelection").GetProperty("sopInstanceUid").GetString()!;
    }
}
