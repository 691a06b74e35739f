using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>
/// What operators and metrics read (the jobs listing, queue depth by priority and state) and the source cursors,
/// on real PostgreSQL, each test in a schema of its own.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class PostgresOperatorQueriesTests(Peers peers) : IAsyncLifetime
{
    private readonly string _schema = $"ops_test_{Guid.NewGuid():N}";
    private NpgsqlDataSource _dataSource = null!;
    private SqlDialect _dialect = null!;
    private SqlJobStore _store = null!;

    public async Task InitializeAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(peers.PostgresConnection))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {_schema}"))
            await create.ExecuteNonQueryAsync();
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(peers.PostgresConnection) { SearchPath = _schema }.ConnectionString);
        _dialect = JobStoreDialects.Postgres(_dataSource);
        _store = new SqlJobStore(_dialect, new JobStoreOptions { MaxAttempts = 1 }, TimeProvider.System);
        await _store.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(peers.PostgresConnection);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task TheListingFiltersByStateAndStudyAndTheCountsSplitByPriority()
    {
        await _store.EnqueueAsync(new JobRequest("1.2.1", "m", "p", JobPriority.Stat));
        await _store.FailAsync((await _store.ClaimNextAsync("w"))!, "dicomweb-timeout");
        await _store.EnqueueAsync(new JobRequest("1.2.2", "m", "p", JobPriority.Urgent));
        await _store.EnqueueAsync(new JobRequest("1.2.3", "m", "p", JobPriority.Urgent));
        var queries = new JobQueries(_dialect);

        var dead = Assert.Single(await queries.ListAsync(JobState.DeadLettered));
        var byStudy = Assert.Single(await queries.ListAsync(studyInstanceUid: "1.2.2"));
        var all = await queries.ListAsync();
        var counts = await queries.CountByPriorityAndStateAsync();

        Assert.Equal(("1.2.1", "dicomweb-timeout", 1), (dead.StudyInstanceUid, dead.LastError, dead.Attempts));
        Assert.Equal(JobState.Queued, byStudy.State);
        Assert.Equal(["1.2.3", "1.2.2", "1.2.1"], all.Select(j => j.StudyInstanceUid));
        Assert.Equal(2, counts[(JobPriority.Urgent, JobState.Queued)]);
        Assert.Equal(1, counts[(JobPriority.Stat, JobState.DeadLettered)]);
        Assert.Equal(dead.StudyInstanceUid, (await queries.FindAsync(dead.Id))!.StudyInstanceUid);
    }

    [Fact]
    public async Task PendingStudiesSavedByOneWorkerAreSubmittedByTheNext()
    {
        var cursors = new SqlCursorStore(_dialect, TimeProvider.System);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new WorkerMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var options = Microsoft.Extensions.Options.Options.Create(new LlavaRad.Worker.Options.StudySourcesOptions
        {
            Stability = new() { QuietPeriod = TimeSpan.Zero },
        });
        var submission = new StudySubmission("1.2.9", JobPriority.Urgent, new StudyOrigin(StudyOriginKinds.DicomWeb, "http://pacs/dicom-web"), "qido-poll");
        var firstSubmitter = new LlavaRad.Worker.Tests.Sources.RecordingStudySubmitter();
        await new StudyStabilityGate(cursors, firstSubmitter, options, TimeProvider.System, metrics, NullLogger<StudyStabilityGate>.Instance)
            .ObserveAsync(submission, 3, CancellationToken.None);

        var nextSubmitter = new LlavaRad.Worker.Tests.Sources.RecordingStudySubmitter();
        await new StudyStabilityGate(cursors, nextSubmitter, options, TimeProvider.System, metrics, NullLogger<StudyStabilityGate>.Instance)
            .SubmitStableAsync(CancellationToken.None);

        Assert.Empty(firstSubmitter.Submissions);
        Assert.Equal([submission], nextSubmitter.Submissions);
    }
}
