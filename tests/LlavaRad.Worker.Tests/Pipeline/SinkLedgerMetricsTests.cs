using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sinks;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LlavaRad.Worker.Tests.Pipeline;

/// <summary>
/// llavarad.worker.sink.outcomes for every sink the ledger delivers (primary and the others), read off this test's
/// own meter factory; the real SQLite job store holds the ledger, so the counts line up with what it records.
/// </summary>
public sealed class SinkLedgerMetricsTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private SqlJobStore _store = null!;
    private MetricCollector<long> _collector = null!;
    private WorkerMetrics _metrics = null!;

    public async Task InitializeAsync()
    {
        _store = new SqlJobStore(JobStoreDialects.Sqlite(_dir.File("jobs.db")), new JobStoreOptions(), TimeProvider.System);
        await _store.MigrateAsync();
        var factory = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _metrics = new WorkerMetrics(factory);
        _collector = new MetricCollector<long>(factory, WorkerMetrics.MeterName, "llavarad.worker.sink.outcomes");
    }

    public async Task DisposeAsync()
    {
        _collector.Dispose();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task EachSinkTriedCountsItsOutcomeAndASinkDoneEarlierIsNotCountedAgain()
    {
        var job = await EnqueueAsync("1.2.3");
        var first = await SinkLedger.LoadAsync(_store, job.Id, _metrics, CancellationToken.None);
        await first.PrimaryAsync(SinkNames.Fhir, () => Task.FromResult(new DraftLocation("DiagnosticReport/1", Created: true)), CancellationToken.None);
        // An uncoded failure ends the attempt where it happens, so it comes last here.
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.DeliverAsync(
        [
            (SinkNames.LocalExports, () => Task.CompletedTask),
            (SinkNames.SrStow, () => throw StudyPipelineException.Retry(DraftSrStowSink.SrStoreFailed, "timeout")),
            (SinkNames.Review, () => throw StudyPipelineException.Final(PipelineReasons.LocalWriteFailed, "archive refused")),
            (SinkNames.Hl7Mllp, () => throw new InvalidOperationException("a bug, not a coded failure")),
        ], CancellationToken.None));

        Assert.Equal(
        [
            (SinkNames.Fhir, "delivered", "none"), (SinkNames.LocalExports, "delivered", "none"),
            (SinkNames.SrStow, "retrying", DraftSrStowSink.SrStoreFailed), (SinkNames.Review, "rejected", PipelineReasons.LocalWriteFailed),
            (SinkNames.Hl7Mllp, "retrying", PipelineReasons.Unexpected),
        ], Taken());

        // The retry: FHIR, local-exports (delivered) and review (rejected) are not tried again, so not counted again.
        var second = await SinkLedger.LoadAsync(_store, job.Id, _metrics, CancellationToken.None);
        await second.PrimaryAsync(SinkNames.Fhir, () => throw new InvalidOperationException("written already"), CancellationToken.None);
        await Assert.ThrowsAsync<StudyPipelineException>(() => second.DeliverAsync(
        [
            (SinkNames.LocalExports, () => throw new InvalidOperationException("delivered already")),
            (SinkNames.SrStow, () => Task.CompletedTask),
            (SinkNames.Review, () => throw new InvalidOperationException("rejected already")),
            (SinkNames.Hl7Mllp, () => Task.CompletedTask),
        ], CancellationToken.None)); // the review's earlier rejection rejects the job
        Assert.Equal([(SinkNames.SrStow, "delivered", "none"), (SinkNames.Hl7Mllp, "delivered", "none")], Taken());
    }

    [Theory]
    [InlineData(SinkNames.Fhir)]
    [InlineData(SinkNames.Local)]
    [InlineData(SinkNames.Shadow)]
    public async Task APrimarySinkCountsItsDeliveryAndItsFailure(string sink)
    {
        var delivered = await SinkLedger.LoadAsync(_store, (await EnqueueAsync("1.2.4")).Id, _metrics, CancellationToken.None);
        await delivered.PrimaryAsync(sink, () => Task.FromResult(new DraftLocation("somewhere", Created: true)), CancellationToken.None);
        var failing = await SinkLedger.LoadAsync(_store, (await EnqueueAsync("1.2.5")).Id, _metrics, CancellationToken.None);
        await Assert.ThrowsAsync<StudyPipelineException>(() => failing.PrimaryAsync(sink,
            () => throw StudyPipelineException.Retry(PipelineReasons.LocalWriteFailed, "disk full"), CancellationToken.None));

        Assert.Equal([(sink, "delivered", "none"), (sink, "retrying", PipelineReasons.LocalWriteFailed)], Taken());
    }

    private async Task<Job> EnqueueAsync(string studyUid) => (await _store.EnqueueAsync(new JobRequest(studyUid, "llava-rad", "1",
        JobPriority.Routine, new StudyOrigin(StudyOriginKinds.Folder, "/studies/" + studyUid)))).Job;

    /// <summary>The measurements since the last call, as (sink, outcome, reason); each counts one.</summary>
    private List<(string?, string?, string?)> Taken()
    {
        var taken = _collector.GetMeasurementSnapshot(clear: true);
        Assert.All(taken, m => Assert.Equal(1, m.Value));
        return [.. taken.Select(m => (m.Tags["sink"] as string, m.Tags["outcome"] as string, m.Tags["reason"] as string))];
    }
}
