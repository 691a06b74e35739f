using MsOptions = Microsoft.Extensions.Options.Options;
using System.Collections.Concurrent;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Findings;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Part10;
using LlavaRad.Worker.Audit;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sinks;
using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace LlavaRad.Worker.Tests.Pipeline;

/// <summary>
/// The real pipeline and runner on the real SQLite job store and a sample study folder; the inference node, the
/// FHIR write and the site sinks are in-process doubles of our own seams that count their calls. A sink that fails is
/// retried alone: the node is asked once, FHIR gets one write, and every sink gets the same draft.
/// </summary>
public sealed class SinkRetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly string StudyFolder = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", "pa-chest-dx-8bit-no-window");
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddHttpClient().BuildServiceProvider();
    private readonly CountingGenerator _generator = new();
    private readonly CountingFhirSink _fhir = new();
    private readonly ScriptedSiteSinks _site = new();
    private readonly OutcomeRecorder _outcomes = new();
    private readonly JobStoreOptions _storeOptions = new() { MaxAttempts = 3, FirstRetryDelay = TimeSpan.Zero, Lease = TimeSpan.FromMinutes(1) };
    private SqlJobStore _store = null!;
    private MetricCollector<long> _sinkOutcomes = null!;
    private string _studyUid = "";

    public async Task InitializeAsync()
    {
        _store = new SqlJobStore(JobStoreDialects.Sqlite(_dir.File("jobs.db")), _storeOptions, TimeProvider.System);
        await _store.MigrateAsync();
        _sinkOutcomes = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            WorkerMetrics.MeterName, "llavarad.worker.sink.outcomes");
        var file = Directory.GetFiles(StudyFolder, "*.dcm").Single();
        _studyUid = Part10Reader.Read(await File.ReadAllBytesAsync(file)).Dataset.GetString(DicomTag.StudyInstanceUid)!;
    }

    public async Task DisposeAsync()
    {
        _sinkOutcomes.Dispose();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task ATransientSrFailureRetriesOnlyTheSrWithTheSameDraftAndNoSecondInference()
    {
        _site.FailOnce(SinkNames.SrStow, StudyPipelineException.Retry(DraftSrStowSink.SrStoreFailed, "STOW-RS of the SR failed: dicomweb-timeout"));

        var job = await RunUntilAsync(outcomes: 2);

        Assert.Equal([JobState.Retrying, JobState.Succeeded], _outcomes.Outcomes.Select(o => o.State));
        Assert.Equal(DraftSrStowSink.SrStoreFailed, _outcomes.Outcomes[0].Code);
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(1, _generator.Calls);
        Assert.Single(_fhir.Requests);
        Assert.Equal(2, _site.Calls(SinkNames.SrStow).Count);
        Assert.Single(_site.Calls(SinkNames.Hl7Mllp)); // delivered on the first attempt, not sent again
        // The retried SR carries the draft FHIR got: same text, model, issued time, and so the same draft keys.
        var (fhirDraft, retriedSr) = (_fhir.Requests.Single(), _site.Calls(SinkNames.SrStow)[1]);
        Assert.Equal((fhirDraft.FindingsText, fhirDraft.Model, fhirDraft.Issued), (retriedSr.FindingsText, retriedSr.Model, retriedSr.Issued));
        Assert.Equal(Key(fhirDraft), Key(retriedSr));
        Assert.Equal(CountingGenerator.Text, retriedSr.FindingsText);

        var sinks = await _store.SinkDeliveriesAsync(job.Id);
        Assert.Equal(
            [(SinkNames.Fhir, SinkState.Delivered, 1, "DiagnosticReport/7"), (SinkNames.SrStow, SinkState.Delivered, 2, null),
             (SinkNames.Hl7Mllp, SinkState.Delivered, 1, null)],
            sinks.Select(s => (s.Sink, s.State, s.Attempts, s.Location)));
        Assert.Null(await _store.FindFindingsAsync(job.Id)); // the job succeeded: its findings text is gone
        Assert.Equal(
            [(SinkNames.Fhir, "delivered"), (SinkNames.SrStow, "retrying"), (SinkNames.Hl7Mllp, "delivered"), (SinkNames.SrStow, "delivered")],
            _sinkOutcomes.GetMeasurementSnapshot().Select(m => (m.Tags["sink"] as string, m.Tags["outcome"] as string)));
    }

    [Fact]
    public async Task AFinalRejectionByOneSinkRejectsTheJobOnceTheTransientOneHasDelivered()
    {
        _site.FailOnce(SinkNames.SrStow, StudyPipelineException.Retry(DraftSrStowSink.SrStoreFailed, "timeout"));
        _site.FailAlways(SinkNames.Hl7Mllp, StudyPipelineException.Final(SiteExportSinks.Hl7Rejected, "the RIS answered AR: unknown order"));

        var job = await RunUntilAsync(outcomes: 2);

        Assert.Equal([JobState.Retrying, JobState.Rejected], _outcomes.Outcomes.Select(o => o.State));
        Assert.Equal((JobState.Rejected, SiteExportSinks.Hl7Rejected), (job.State, job.LastError));
        Assert.Single(_site.Calls(SinkNames.Hl7Mllp)); // a final answer is not asked again
        Assert.Equal(1, _generator.Calls);
        var sinks = (await _store.SinkDeliveriesAsync(job.Id)).ToDictionary(s => s.Sink);
        Assert.Equal((SinkState.Rejected, SiteExportSinks.Hl7Rejected), (sinks[SinkNames.Hl7Mllp].State, sinks[SinkNames.Hl7Mllp].Reason));
        Assert.Equal(SinkState.Delivered, sinks[SinkNames.SrStow].State);
        // Some sinks have the draft and one does not: the findings stay, so a replay sends that one the same draft.
        Assert.Equal(CountingGenerator.Text, (await _store.FindFindingsAsync(job.Id))!.Text);
    }

    private static string Key(DraftReportRequest draft) => new DraftKeys(draft, new WriteBackOptions()).Key;

    private async Task<Job> RunUntilAsync(int outcomes)
    {
        var (job, _) = await _store.EnqueueAsync(new JobRequest(_studyUid, "llava-rad", "1", JobPriority.Routine,
            new StudyOrigin(StudyOriginKinds.Folder, StudyFolder)));
        var runner = new JobRunner(_store, Pipeline(),
            new KillSwitch(new StaticOptionsMonitor<PipelineOptions>(new PipelineOptions())),
            MsOptions.Create(new PipelineOptions { WorkerId = "test", Concurrency = 1, IdlePollInterval = TimeSpan.FromMilliseconds(20) }),
            MsOptions.Create(_storeOptions), [_outcomes], new FakeLogger<JobRunner>());
        await runner.StartAsync(default);
        await _outcomes.WaitForAsync(outcomes, Limit);
        await runner.StopAsync(default);
        return (await _store.FindAsync(job.Key))!;
    }

    private StudyPipeline Pipeline()
    {
        var pipelineOptions = MsOptions.Create(new PipelineOptions { DraftFolder = _dir.File("drafts") });
        var allowlist = new DicomWebAllowlist(MsOptions.Create(new Imaging.DicomWeb.DicomWebClientOptions()),
            MsOptions.Create(new LlavaRad.Worker.Options.StudySourcesOptions()));
        var audit = new AuditRecorder(new NoAuditTrail(), TimeProvider.System, NullLogger<AuditRecorder>.Instance);
        return new StudyPipeline(
            new StudyResolver(new KnownStudyLookup()),
            new FolderImageSource(new Part10ImageReader(), MsOptions.Create(new FolderSourceOptions())),
            new DicomWebImageSource(_services.GetRequiredService<IHttpClientFactory>(), allowlist, new Part10ImageReader(), audit, TimeProvider.System),
            _generator, new FindingsAssessor(new FindingsTriage()),
            new LocalBundleSink(pipelineOptions, MsOptions.Create(new WriteBackOptions())), _fhir, _store, pipelineOptions,
            new WorkerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), TimeProvider.System,
            siteSinks: _site);
    }

    /// <summary>The EHR knows every study as ImagingStudy/1 of Patient/1, so the draft's primary sink is FHIR.</summary>
    private sealed class KnownStudyLookup : IStudyLookup
    {
        public Task<StudyIntake> ReadAsync(string imagingStudyReference, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the test's jobs come from a folder");

        public Task<StudyIntake?> FindAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
            Task.FromResult<StudyIntake?>(new StudyIntake("ImagingStudy/1", studyInstanceUid, "Patient/1", null, [],
                new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), null, [], null));
    }

    /// <summary>The inference seam: answers one fixed report and counts how often it was asked.</summary>
    private sealed class CountingGenerator : IFindingsGenerator
    {
        public const string Text = "Small right pleural effusion. No pneumothorax.";
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        public Task<GeneratedFindings> GenerateAsync(Gray8Image image, string? indication, int priority, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new GeneratedFindings(Text, [-0.25, -0.125, -1.5],
                new ModelIdentity("llava-rad", "tiny", "0.1.0", new string('a', 64))));
        }
    }

    /// <summary>The FHIR write seam: records each draft it is given.</summary>
    private sealed class CountingFhirSink : IDraftSink
    {
        public ConcurrentQueue<DraftReportRequest> Requests { get; } = new();

        public Task<DraftLocation> WriteAsync(DraftReportRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            return Task.FromResult(new DraftLocation("DiagnosticReport/7", Created: true));
        }
    }

    /// <summary>The site sinks seam (SR by STOW-RS, ORU by MLLP): records each delivery and fails as scripted.</summary>
    private sealed class ScriptedSiteSinks : ISiteSinks
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<DraftReportRequest>> _calls = new();
        private readonly ConcurrentDictionary<string, (StudyPipelineException Failure, bool Always)> _failures = new();

        public IReadOnlyList<string> Configured => [SinkNames.SrStow, SinkNames.Hl7Mllp];

        public void FailOnce(string sink, StudyPipelineException failure) => _failures[sink] = (failure, false);

        public void FailAlways(string sink, StudyPipelineException failure) => _failures[sink] = (failure, true);

        public IReadOnlyList<DraftReportRequest> Calls(string sink) => [.. _calls.GetOrAdd(sink, _ => new())];

        public Task DeliverAsync(string sink, DraftReportRequest draft, IDicomAttributes source, CancellationToken cancellationToken)
        {
            _calls.GetOrAdd(sink, _ => new()).Enqueue(draft);
            if (_failures.TryGetValue(sink, out var failure))
            {
                if (!failure.Always) _failures.TryRemove(sink, out _);
                throw failure.Failure;
            }
            return Task.CompletedTask;
        }
    }
}
