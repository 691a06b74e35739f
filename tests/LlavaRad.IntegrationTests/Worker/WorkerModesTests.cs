using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Fhir;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Part10;
using LlavaRad.IntegrationTests.Sources;
using LlavaRad.Worker;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>Shadow mode, the DICOMweb origin (with and without an ImagingStudy in the EHR) and audit to the FHIR server.</summary>
[Collection(PeersCollection.Name)]
public sealed class WorkerModesTests(Peers peers) : IAsyncLifetime
{
    private static readonly TimeSpan JobLimit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private readonly TinyNode _node = new();

    private FhirStore Fhir => new(new HttpClient { BaseAddress = peers.FhirUrl });
    private DicomWebClient DicomWeb => new(new HttpClient { BaseAddress = peers.DicomWebUrl });
    private string Drafts => _dir.File("drafts");

    public Task InitializeAsync() => _node.StartAsync();

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<WebApplication> StartWorkerAsync(params string[] extra)
    {
        var worker = WorkerHost.Build(
        [
            "--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={_dir.File($"jobs-{Guid.NewGuid():N}.db")}", $"--InferenceNode:Address={_node.Address}",
            "--InferenceNode:CallTimeout=00:01:00", $"--Fhir:BaseUrl={peers.FhirUrl}", $"--DicomWeb:BaseUrl={peers.DicomWebUrl}", $"--Pipeline:DraftFolder={Drafts}",
            "--Pipeline:IdlePollInterval=00:00:00.100", "--Pipeline:MaxNewTokens=16", $"--Audit:FilePath={_dir.File("audit.jsonl")}", .. extra,
        ], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await worker.StartAsync();
        return worker;
    }

    [Fact]
    public async Task ShadowModeRunsEverythingButWritesTheDraftLocallyAndNothingToFhir()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-chest-dx-8bit-no-window");
        await using var worker = await StartWorkerAsync("--Pipeline:ShadowMode=true");

        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference));

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Empty(await WorkerDrafts.ReportsForAsync(Fhir, study));
        var bundle = Assert.Single(Directory.GetFiles(Drafts));
        Assert.Contains(study.ImagingStudyReference, File.ReadAllText(bundle)); // the shadow draft is the one FHIR would have got
    }

    [Fact]
    public async Task ADicomWebStudyTheEhrKnowsIsDraftedIntoFhirUnderItsImagingStudy()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "ap-portable-chest-cr-mono1");
        await using var worker = await StartWorkerAsync();

        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.DicomWeb, peers.DicomWebUrl.AbsoluteUri));

        Assert.True(job.State == JobState.Succeeded, $"{job.State}: {job.LastError}");
        var report = Assert.Single(await WorkerDrafts.ReportsForAsync(Fhir, study));
        Assert.Equal(study.Patient, report.Subject?.Reference);
    }

    [Fact]
    public async Task ADicomWebStudyWithoutAnImagingStudyIsDraftedToTheLocalBundleFolder()
    {
        var uid = await WorkerSampleStudy.LoadDicomOnlyAsync(DicomWeb, "pa-chest-dx-12bit-rescaled"); // no FHIR bundle posted
        await using var worker = await StartWorkerAsync();

        var job = await RunAsync(worker, uid, new StudyOrigin(StudyOriginKinds.DicomWeb, peers.DicomWebUrl.AbsoluteUri));

        Assert.True(job.State == JobState.Succeeded, $"{job.State}: {job.LastError}");
        var bundle = File.ReadAllText(Assert.Single(Directory.GetFiles(Drafts)));
        Assert.Contains($"ImagingStudy?identifier=urn:dicom:uid|urn:oid:{uid}", bundle);
    }

    /// <summary>
    /// Issue 13: Orthanc here has no GDCM plugin, so it cannot transcode JPEG 2000 and its /rendered refuses it. With
    /// both server fallbacks off, a draft can only come from our own decode of the syntax Orthanc stored.
    /// </summary>
    [Theory]
    [InlineData("gdcmconv --j2k", "1.2.840.10008.1.2.4.90")]
    [InlineData("dcmcjpls +el", "1.2.840.10008.1.2.4.80")]
    public async Task AJpeg2000OrJpegLsStudyInOrthancBecomesOneDraftWithTheServerFallbacksOff(string compressor, string storedSyntax)
    {
        var study = FreshDicomStudy.Create("pa-and-lateral-chest-dx-two-series", _dir, compressor: compressor);
        Assert.All(study.Files, f => Assert.Equal(storedSyntax, Part10Reader.Read(f).TransferSyntax.Uid));
        Assert.Empty((await DicomWeb.StoreAsync(study.Files)).Failures);
        await using var worker = await StartWorkerAsync("--DicomWeb:TranscodeFallback=false", "--DicomWeb:RenderedFallback=false");
        var fetch = worker.Services.GetRequiredService<IOptions<DicomWebClientOptions>>().Value;
        Assert.Equal((InstanceRetrieval.StoredSyntax, false, false), (fetch.Retrieval, fetch.TranscodeFallback, fetch.RenderedFallback));

        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.DicomWeb, peers.DicomWebUrl.AbsoluteUri));

        Assert.True(job.State == JobState.Succeeded, $"{job.State}: {job.LastError}");
        Assert.Equal(1, job.Attempts);
        var counts = await worker.Services.GetRequiredService<IJobStore>().CountByStateAsync();
        Assert.Equal(1, counts.Values.Sum()); // this worker's own store: one job, done once
        Assert.Equal(1, counts.GetValueOrDefault(JobState.Succeeded));
        var bundle = File.ReadAllText(Assert.Single(Directory.GetFiles(Drafts)));
        Assert.Contains($"ImagingStudy?identifier=urn:dicom:uid|urn:oid:{study.StudyInstanceUid}", bundle);
    }

    [Fact]
    public async Task MetricsAfterRealWorkNameNoPeerAddressAndNoSoftwareVersion()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-chest-dx-8bit-no-window");
        await using var worker = await StartWorkerAsync();
        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference));
        Assert.Equal(JobState.Succeeded, job.State);

        using var http = new HttpClient { BaseAddress = new Uri(worker.Urls.First()) };
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Contains("llavarad_worker_outcomes_total", metrics); // the scrape holds the work that was done
        Assert.Contains("http_client_request_duration_seconds", metrics); // and the peer calls, counted
        foreach (var peer in new[] { peers.FhirUrl, peers.DicomWebUrl, _node.Address })
        {
            Assert.DoesNotContain(peer.Authority, metrics);
            Assert.DoesNotContain($"\"{peer.Port}\"", metrics);
        }
        foreach (var label in new[] { "server_address", "server_port", "dns_question_name", "service_version", "telemetry_sdk_version", "otel_scope_version" })
            Assert.DoesNotContain(label + "=", metrics);
        Assert.DoesNotMatch("=\"\\d+\\.\\d+\\.\\d+", metrics); // no a.b.c software version as a label value
    }

    [Fact]
    public async Task AuditEventsCanGoToTheFhirServer()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-and-lateral-chest-dx-two-series");
        await using var worker = await StartWorkerAsync("--Audit:Sink=fhir");

        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference));

        Assert.Equal(JobState.Succeeded, job.State);
        var events = await Fhir.SearchAsync<AuditEvent>(new SearchParams().Add("entity", study.ImagingStudyReference));
        Assert.Contains(events, e => e.Subtype.Any(s => s.Code == "transaction") && e.Outcome == AuditEvent.AuditEventOutcome.N0);
        Assert.Contains(events, e => e.Subtype.Any(s => s.Code == "read"));
    }

    [Fact]
    public async Task AnImagingStudyWhoseEndpointIsNotAConfiguredBaseIsRejectedAndNothingIsFetched()
    {
        using var attacker = new RecordingListener();
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, new Uri(attacker.Url, "dicom-web/"), "pa-chest-dx-8bit-no-window");
        await using var worker = await StartWorkerAsync("--DicomWeb:Username=llavarad", "--DicomWeb:Password=pacs-secret-for-the-scan");

        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference));

        Assert.Equal(JobState.Rejected, job.State);
        Assert.StartsWith("dicomweb-endpoint-not-allowed", job.LastError);
        Assert.Equal(0, attacker.Connections);
        Assert.Empty(await WorkerDrafts.ReportsForAsync(Fhir, study));
        var audit = File.ReadAllText(_dir.File("audit.jsonl"));
        Assert.Contains("dicomweb-endpoint-not-allowed", audit);
        Assert.DoesNotContain("pacs-secret-for-the-scan", audit);
    }

    [Fact]
    public async Task AnImagingStudyWhoseEndpointReferenceNamesAnotherFhirServerIsRejectedAndNothingIsSent()
    {
        using var elsewhere = new RecordingListener();
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-chest-dx-8bit-no-window");
        await PointEndpointReferenceAtAsync(study, new Uri(elsewhere.Url, "fhir/R4/Endpoint/pacs"));
        await using var worker = await StartWorkerAsync();

        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference));

        Assert.Equal(JobState.Rejected, job.State);
        Assert.StartsWith("fhir-url-not-allowed", job.LastError);
        Assert.Equal(0, elsewhere.Connections);
        Assert.Empty(await WorkerDrafts.ReportsForAsync(Fhir, study));
        Assert.Contains("fhir-url-not-allowed", File.ReadAllText(_dir.File("audit.jsonl")));
    }

    [Fact]
    public async Task ASecondAllowlistedBaseIsReadWithItsOwnCredentials()
    {
        // The site's PACS is elsewhere; Orthanc is allowed as a further base, under its own (here unused) account.
        var study = await WorkerSampleStudy.LoadAsync(Fhir, DicomWeb, peers.DicomWebUrl, "pa-chest-dx-8bit-no-window");
        await using var worker = await StartWorkerAsync("--DicomWeb:BaseUrl=http://127.0.0.1:9/dicom-web/",
            $"--DicomWeb:AllowedBases:0:Url={peers.DicomWebUrl}", "--DicomWeb:AllowedBases:0:Username=second");

        var job = await RunAsync(worker, study.StudyInstanceUid, new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference));

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Single(await WorkerDrafts.ReportsForAsync(Fhir, study));
    }

    /// <summary>What a writer on the EHR could do: make ImagingStudy.endpoint an absolute reference to another server.</summary>
    private async Task PointEndpointReferenceAtAsync(WorkerSampleStudy study, Uri endpoint)
    {
        var client = new FhirClient(peers.FhirUrl, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });
        var resource = await client.ReadAsync<ImagingStudy>(study.ImagingStudyReference);
        resource!.Endpoint = [new ResourceReference(endpoint.AbsoluteUri)];
        await client.UpdateAsync(resource);
    }

    private static async Task<Job> RunAsync(WebApplication worker, string uid, StudyOrigin origin)
    {
        await worker.Services.GetRequiredService<IStudySubmitter>().SubmitAsync(
            new StudySubmission(uid, JobPriority.Routine, origin, "test"), CancellationToken.None);
        var store = worker.Services.GetRequiredService<IJobStore>();
        var key = new JobRequest(uid, "llava-rad", "1", JobPriority.Routine).Key;
        using var limit = new CancellationTokenSource(JobLimit);
        while (true)
        {
            if (await store.FindAsync(key, limit.Token) is { State: JobState.Succeeded or JobState.Rejected or JobState.DeadLettered } job)
                return job;
            await Task.Delay(100, limit.Token);
        }
    }
}
