using MsOptions = Microsoft.Extensions.Options.Options;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Tests.Pipeline;

/// <summary>The runner on the real SQLite job store with a scripted pipeline: outcome mapping, concurrency, leases, kill switch.</summary>
public sealed class JobRunnerTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();
    private readonly ScriptedPipeline _pipeline = new();
    private readonly OutcomeRecorder _outcomes = new();
    private readonly JobStoreOptions _storeOptions = new() { Lease = TimeSpan.FromSeconds(1), MaxAttempts = 2, FirstRetryDelay = TimeSpan.FromHours(1) };
    private SqlJobStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqlJobStore(JobStoreDialects.Sqlite(_dir.File("jobs.db")), _storeOptions, TimeProvider.System);
        await _store.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private readonly FakeLogger<JobRunner> _log = new();

    private JobRunner Runner(int concurrency = 1, string killSwitchFile = "", IJobStore? store = null) => new(store ?? _store, _pipeline,
        new KillSwitch(new StaticOptionsMonitor<PipelineOptions>(new PipelineOptions { KillSwitchFile = killSwitchFile })),
        MsOptions.Create(new PipelineOptions
        {
            WorkerId = "test", Concurrency = concurrency, IdlePollInterval = TimeSpan.FromMilliseconds(20),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), KillSwitchFile = killSwitchFile,
        }),
        MsOptions.Create(_storeOptions), [_outcomes], _log);

    private async Task<Job> EnqueueAsync(string uid) =>
        (await _store.EnqueueAsync(new JobRequest(uid, "m", "p", JobPriority.Routine, new StudyOrigin(StudyOriginKinds.Folder, "/x")))).Job;

    private Task<Job?> FindAsync(string uid) => _store.FindAsync(new JobRequest(uid, "m", "p", JobPriority.Routine).Key);

    [Fact]
    public async Task EachOutcomeBecomesItsJobState()
    {
        _pipeline.On("lateral", (_, _) => throw StudyPipelineException.Final("no-frontal-view", "lateral only"));
        _pipeline.On("node-down", (_, _) => throw StudyPipelineException.Retry("inference-node-unavailable", "down"));
        _pipeline.On("bug", (_, _) => throw new InvalidOperationException("a bug"));
        foreach (var uid in new[] { "ok", "lateral", "node-down", "bug" }) await EnqueueAsync(uid);
        var runner = Runner();

        await runner.StartAsync(default);
        await _outcomes.WaitForAsync(4, Limit);
        await runner.StopAsync(default);

        Assert.Equal(JobState.Succeeded, (await FindAsync("ok"))!.State);
        Assert.Equal((JobState.Rejected, "no-frontal-view"), ((await FindAsync("lateral"))!.State, (await FindAsync("lateral"))!.LastError));
        var down = (await FindAsync("node-down"))!;
        Assert.Equal(JobState.Retrying, down.State);
        Assert.StartsWith("inference-node-unavailable", down.LastError);
        Assert.StartsWith(PipelineReasons.Unexpected, (await FindAsync("bug"))!.LastError);
        Assert.Contains(_outcomes.Outcomes, o => o.Code == PipelineReasons.Drafted && o.Draft is not null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the interrupted call reports itself as a transient failure, as a cut-off gRPC call does
    public async Task AStopInTheMiddleOfAnAttemptPutsTheJobBackInTheQueueUncounted(bool cutOffAsFailure)
    {
        var started = new TaskCompletionSource();
        _pipeline.On("long", async (_, cancellationToken) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException) when (cutOffAsFailure)
            {
                throw StudyPipelineException.Retry("inference-node-unavailable", "call cancelled");
            }
            throw new InvalidOperationException("unreachable");
        });
        await EnqueueAsync("long");
        var runner = Runner();

        await runner.StartAsync(default);
        await started.Task.WaitAsync(Limit);
        await runner.StopAsync(default);

        var job = (await FindAsync("long"))!;
        Assert.Equal((JobState.Queued, 0, null), (job.State, job.Attempts, job.LeaseOwner));
        Assert.Empty(_outcomes.Outcomes);
        Assert.NotNull(await _store.ClaimNextAsync("next-worker")); // due at once: no lease to wait out
    }

    [Fact]
    public async Task EachAttemptIsLoggedWithAnEventIdAndItsCodeAsAStructuredField()
    {
        _pipeline.On("lateral", (_, _) => throw StudyPipelineException.Final("no-frontal-view", "lateral only"));
        _pipeline.On("bug", (_, _) => throw new InvalidOperationException("a bug"));
        foreach (var uid in new[] { "lateral", "bug" }) await EnqueueAsync(uid);
        var runner = Runner();

        await runner.StartAsync(default);
        await _outcomes.WaitForAsync(2, Limit);
        await runner.StopAsync(default);

        var records = _log.Collector.GetSnapshot();
        string? Reason(FakeLogRecord r) => r.StructuredState?.FirstOrDefault(p => p.Key == "Reason").Value;
        var finished = records.Where(r => r.Id.Id == 2007).Select(Reason).ToList();
        Assert.Contains("no-frontal-view", finished);
        Assert.Contains(PipelineReasons.Unexpected, finished);
        Assert.Single(records, r => r.Id.Id == 2005 && Reason(r) == PipelineReasons.Unexpected && r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task RunsAsManyJobsAtOnceAsConfiguredAndEachOnce()
    {
        var gate = new TaskCompletionSource();
        for (var i = 0; i < 6; i++)
        {
            var uid = $"s{i}";
            _pipeline.On(uid, async (_, token) => { await gate.Task.WaitAsync(token); return ScriptedPipeline.Draft(uid); });
            await EnqueueAsync(uid);
        }
        var runner = Runner(concurrency: 3);

        await runner.StartAsync(default);
        using (var limit = new CancellationTokenSource(Limit))
            while (_pipeline.MaxRunningAtOnce < 3) await Task.Delay(20, limit.Token);
        gate.SetResult();
        await _outcomes.WaitForAsync(6, Limit);
        await runner.StopAsync(default);

        Assert.Equal(3, _pipeline.MaxRunningAtOnce);
        Assert.Equal(6, _pipeline.Ran.Distinct().Count());
        Assert.Equal(6, _pipeline.Ran.Count);
        Assert.Equal(6, (await _store.CountByStateAsync())[JobState.Succeeded]);
    }

    [Fact]
    public async Task TheHeartbeatKeepsALongJobLeasedSoNoOtherWorkerTakesIt()
    {
        var release = new TaskCompletionSource();
        _pipeline.On("long", async (_, token) => { await release.Task.WaitAsync(token); return ScriptedPipeline.Draft("long"); });
        await EnqueueAsync("long");
        var runner = Runner();
        await runner.StartAsync(default);
        using (var limit = new CancellationTokenSource(Limit))
            while (_pipeline.Ran.IsEmpty) await Task.Delay(20, limit.Token);

        await Task.Delay(_storeOptions.Lease * 2.5); // well past one lease: only heartbeats keep it
        var stolen = await _store.ClaimNextAsync("another-worker");
        release.SetResult();
        await _outcomes.WaitForAsync(1, Limit);
        await runner.StopAsync(default);

        Assert.Null(stolen);
        Assert.Equal(JobState.Succeeded, (await FindAsync("long"))!.State);
    }

    [Fact]
    public async Task HeartbeatsKeepBeatingAfterOneFails()
    {
        var release = new TaskCompletionSource();
        _pipeline.On("long", async (_, token) => { await release.Task.WaitAsync(token); return ScriptedPipeline.Draft("long"); });
        await EnqueueAsync("long");
        var flaky = new FirstHeartbeatFailsStore(_store);
        var runner = Runner(store: flaky);
        await runner.StartAsync(default);

        using (var limit = new CancellationTokenSource(Limit))
            while (flaky.Heartbeats < 3) await Task.Delay(20, limit.Token); // the first failed; later ones still come
        release.SetResult();
        await _outcomes.WaitForAsync(1, Limit);
        await runner.StopAsync(default);

        Assert.Equal(JobState.Succeeded, (await FindAsync("long"))!.State);
    }

    [Fact]
    public async Task TheKillSwitchStopsClaimsWithoutLosingJobsAndRemovingItResumes()
    {
        var killFile = _dir.File("stop");
        await File.WriteAllTextAsync(killFile, "");
        await EnqueueAsync("waiting");
        var runner = Runner(killSwitchFile: killFile);

        await runner.StartAsync(default);
        await Task.Delay(300);
        var whileStopped = (await FindAsync("waiting"))!.State;
        File.Delete(killFile);
        await _outcomes.WaitForAsync(1, Limit);
        await runner.StopAsync(default);

        Assert.Equal(JobState.Queued, whileStopped);
        Assert.Empty(_outcomes.Outcomes.Skip(1));
        Assert.Equal(JobState.Succeeded, (await FindAsync("waiting"))!.State);
    }
}

/// <summary>The real store, except that its first heartbeat throws (a database blip).</summary>
public sealed class FirstHeartbeatFailsStore(IJobStore inner) : IJobStore
{
    private int _heartbeats;
    public int Heartbeats => Volatile.Read(ref _heartbeats);

    public Task HeartbeatAsync(Job job, CancellationToken cancellationToken = default) =>
        Interlocked.Increment(ref _heartbeats) == 1
            ? throw new TimeoutException("database blip")
            : inner.HeartbeatAsync(job, cancellationToken);

    public Task<(Job Job, bool Created)> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default) => inner.EnqueueAsync(request, cancellationToken);
    public Task<Job?> ClaimNextAsync(string workerId, CancellationToken cancellationToken = default) => inner.ClaimNextAsync(workerId, cancellationToken);
    public Task ReleaseAsync(Job job, CancellationToken cancellationToken = default) => inner.ReleaseAsync(job, cancellationToken);
    public Task SucceedAsync(Job job, CancellationToken cancellationToken = default) => inner.SucceedAsync(job, cancellationToken);
    public Task RejectAsync(Job job, string reasonCode, CancellationToken cancellationToken = default) => inner.RejectAsync(job, reasonCode, cancellationToken);
    public Task<JobState> FailAsync(Job job, string error, CancellationToken cancellationToken = default) => inner.FailAsync(job, error, cancellationToken);
    public Task<bool> ReplayAsync(long jobId, CancellationToken cancellationToken = default) => inner.ReplayAsync(jobId, cancellationToken);
    public Task<Job?> FindAsync(string key, CancellationToken cancellationToken = default) => inner.FindAsync(key, cancellationToken);
    public Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken = default) => inner.CountByStateAsync(cancellationToken);
    public Task<JobFindings?> FindFindingsAsync(long jobId, CancellationToken cancellationToken = default) => inner.FindFindingsAsync(jobId, cancellationToken);
    public Task<JobFindings> SaveFindingsAsync(long jobId, JobFindings findings, CancellationToken cancellationToken = default) =>
        inner.SaveFindingsAsync(jobId, findings, cancellationToken);
    public Task<IReadOnlyList<SinkDelivery>> SinkDeliveriesAsync(long jobId, CancellationToken cancellationToken = default) =>
        inner.SinkDeliveriesAsync(jobId, cancellationToken);
    public Task RecordSinkAsync(long jobId, string sink, SinkState state, string? reason, string? location = null,
        CancellationToken cancellationToken = default) => inner.RecordSinkAsync(jobId, sink, state, reason, location, cancellationToken);
}

/// <summary>Options that do not change (the kill switch reads CurrentValue).</summary>
public sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
