using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;

namespace LlavaRad.Worker.Tests.Jobs;

/// <summary>What every job store must do, run against each real database (SQLite here, PostgreSQL in the integration tests).</summary>
public abstract class JobStoreContract : IAsyncLifetime
{
    protected static readonly JobStoreOptions Options = new()
    {
        Lease = TimeSpan.FromMinutes(2),
        MaxAttempts = 3,
        FirstRetryDelay = TimeSpan.FromSeconds(30),
        MaxRetryDelay = TimeSpan.FromMinutes(5),
        PriorityStep = TimeSpan.FromMinutes(30),
    };

    protected readonly ManualClock Clock = new(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero));
    private SqlJobStore? _store;
    private SqlCursorStore? _cursors;
    private SqlDialect? _dialect;

    protected SqlJobStore Store => _store ?? throw new InvalidOperationException("not initialised");
    protected SqlCursorStore Cursors => _cursors ?? throw new InvalidOperationException("not initialised");
    protected SqlDialect Dialect => _dialect ?? throw new InvalidOperationException("not initialised");

    protected abstract Task<SqlDialect> CreateDialectAsync();

    public async Task InitializeAsync()
    {
        var dialect = _dialect = await CreateDialectAsync();
        _store = new SqlJobStore(dialect, Options, Clock);
        _cursors = new SqlCursorStore(dialect, Clock);
        await _store.MigrateAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static JobRequest Study(string uid, JobPriority priority = JobPriority.Routine) => new(uid, "llava-rad", "p1", priority);

    [Fact]
    public async Task SameStudyFromTwoSourcesIsOneJob()
    {
        var (first, created) = await Store.EnqueueAsync(Study("1.2.3"));
        var (second, createdAgain) = await Store.EnqueueAsync(Study("1.2.3"));

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, (await Store.CountByStateAsync())[JobState.Queued]);
    }

    [Fact]
    public async Task LaterHigherPriorityRaisesAWaitingJobButLowerNeverLowersIt()
    {
        await Store.EnqueueAsync(Study("1", JobPriority.Urgent));
        await Store.EnqueueAsync(Study("1", JobPriority.Routine));
        Assert.Equal(JobPriority.Urgent, (await Store.FindAsync(Study("1").Key))!.Priority);

        await Store.EnqueueAsync(Study("1", JobPriority.Stat));
        Assert.Equal(JobPriority.Stat, (await Store.FindAsync(Study("1").Key))!.Priority);
    }

    [Fact]
    public async Task StatIsTakenBeforeRoutineThatArrivedEarlier()
    {
        await Store.EnqueueAsync(Study("routine"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Store.EnqueueAsync(Study("stat", JobPriority.Stat));

        Assert.Equal("stat", (await Store.ClaimNextAsync("w1"))!.StudyInstanceUid);
        Assert.Equal("routine", (await Store.ClaimNextAsync("w1"))!.StudyInstanceUid);
        Assert.Null(await Store.ClaimNextAsync("w1"));
    }

    [Fact]
    public async Task RoutineThatWaitedLongerThanOneStepGoesBeforeNewUrgentSoNothingStarves()
    {
        await Store.EnqueueAsync(Study("old-routine"));
        Clock.Advance(Options.PriorityStep + TimeSpan.FromMinutes(1));
        await Store.EnqueueAsync(Study("new-urgent", JobPriority.Urgent));

        Assert.Equal("old-routine", (await Store.ClaimNextAsync("w1"))!.StudyInstanceUid);
    }

    [Fact]
    public async Task LeasedJobIsInvisibleUntilItsLeaseExpiresThenTheStaleWorkerCannotFinishIt()
    {
        await Store.EnqueueAsync(Study("1"));
        var first = (await Store.ClaimNextAsync("w1"))!;
        Assert.Null(await Store.ClaimNextAsync("w2"));

        Clock.Advance(Options.Lease + TimeSpan.FromSeconds(1));
        var second = (await Store.ClaimNextAsync("w2"))!;

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        await Assert.ThrowsAsync<LeaseLostException>(() => Store.SucceedAsync(first));
        await Store.SucceedAsync(second);
        Assert.Equal(JobState.Succeeded, (await Store.FindAsync(Study("1").Key))!.State);
    }

    [Fact]
    public async Task HeartbeatKeepsTheLease()
    {
        await Store.EnqueueAsync(Study("1"));
        var job = (await Store.ClaimNextAsync("w1"))!;
        Clock.Advance(Options.Lease - TimeSpan.FromSeconds(10));
        await Store.HeartbeatAsync(job);
        Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Null(await Store.ClaimNextAsync("w2"));
    }

    [Fact]
    public async Task FailuresRetryWithGrowingDelaysThenDeadLetterAndReplayRequeues()
    {
        await Store.EnqueueAsync(Study("1"));

        var attempt1 = (await Store.ClaimNextAsync("w1"))!;
        Assert.Equal(JobState.Retrying, await Store.FailAsync(attempt1, "inference-node-unavailable"));
        Assert.Null(await Store.ClaimNextAsync("w1")); // not due yet
        Clock.Advance(TimeSpan.FromSeconds(30));

        var attempt2 = (await Store.ClaimNextAsync("w1"))!;
        Assert.Equal(JobState.Retrying, await Store.FailAsync(attempt2, "inference-node-unavailable"));
        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(await Store.ClaimNextAsync("w1")); // second delay is 60 s
        Clock.Advance(TimeSpan.FromSeconds(1));

        var attempt3 = (await Store.ClaimNextAsync("w1"))!;
        Assert.Equal(JobState.DeadLettered, await Store.FailAsync(attempt3, "inference-node-unavailable"));
        var parked = (await Store.FindAsync(Study("1").Key))!;
        Assert.Equal("inference-node-unavailable", parked.LastError);
        Assert.Null(await Store.ClaimNextAsync("w1"));

        Assert.True(await Store.ReplayAsync(parked.Id));
        Assert.Equal(1, (await Store.ClaimNextAsync("w1"))!.Attempts);
    }

    [Fact]
    public async Task JobWhoseWorkersKeepDyingIsDeadLetteredNotRetriedForever()
    {
        await Store.EnqueueAsync(Study("poison"));
        for (var i = 0; i < Options.MaxAttempts; i++)
        {
            Assert.NotNull(await Store.ClaimNextAsync($"w{i}"));
            Clock.Advance(Options.Lease + TimeSpan.FromSeconds(1)); // the worker died holding it
        }

        Assert.Null(await Store.ClaimNextAsync("w-last"));
        var job = (await Store.FindAsync(Study("poison").Key))!;
        Assert.Equal(JobState.DeadLettered, job.State);
        Assert.StartsWith("attempts-exhausted", job.LastError);
    }

    [Fact]
    public async Task RejectionIsFinalAndKeepsItsCodedReason()
    {
        await Store.EnqueueAsync(Study("lateral-only"));
        await Store.RejectAsync((await Store.ClaimNextAsync("w1"))!, "no-frontal-view");
        Clock.Advance(TimeSpan.FromDays(1));

        Assert.Null(await Store.ClaimNextAsync("w1"));
        var job = (await Store.FindAsync(Study("lateral-only").Key))!;
        Assert.Equal(JobState.Rejected, job.State);
        Assert.Equal("no-frontal-view", job.LastError);
    }

    [Fact]
    public async Task MigratingTwiceChangesNothing()
    {
        await Store.EnqueueAsync(Study("1"));
        await Store.MigrateAsync();
        Assert.NotNull(await Store.FindAsync(Study("1").Key));
    }

    [Fact]
    public async Task SourceCursorsStartEmptyAndKeepTheLastValueSaved()
    {
        var first = new DateTimeOffset(2024, 2, 5, 14, 30, 0, 123, TimeSpan.Zero);
        Assert.Null(await Cursors.LoadAsync("fhir", default));

        await Cursors.SaveAsync("fhir", first, default);
        await Cursors.SaveAsync("fhir", first.AddMinutes(5), default);
        await Cursors.SaveTextAsync("orthanc-changes", "4711", default);

        Assert.Equal(first.AddMinutes(5), await Cursors.LoadAsync("fhir", default));
        Assert.Equal("4711", await Cursors.LoadTextAsync("orthanc-changes", default));
    }
    [Fact]
    public async Task TheOriginTravelsWithTheJobToTheClaim()
    {
        await Store.EnqueueAsync(Study("1") with { Origin = new StudyOrigin(StudyOriginKinds.Folder, "/incoming/study-1") });

        var claimed = await Store.ClaimNextAsync("w1");

        Assert.Equal(new StudyOrigin(StudyOriginKinds.Folder, "/incoming/study-1"), claimed!.Origin);
    }

    [Fact]
    public async Task AFhirOriginReplacesADicomOriginOfAWaitingJobButNotTheOtherWayRound()
    {
        await Store.EnqueueAsync(Study("1") with { Origin = new StudyOrigin(StudyOriginKinds.DicomWeb, "http://pacs/dicom-web/") });
        await Store.EnqueueAsync(Study("1") with { Origin = new StudyOrigin(StudyOriginKinds.Fhir, "ImagingStudy/7") });
        await Store.EnqueueAsync(Study("1") with { Origin = new StudyOrigin(StudyOriginKinds.Folder, "/incoming/1") });

        Assert.Equal(new StudyOrigin(StudyOriginKinds.Fhir, "ImagingStudy/7"), (await Store.FindAsync(Study("1").Key))!.Origin);
    }

    [Fact]
    public async Task AJobWithoutAnOriginGetsTheFirstOneSeen()
    {
        await Store.EnqueueAsync(Study("1"));
        await Store.EnqueueAsync(Study("1") with { Origin = new StudyOrigin(StudyOriginKinds.Folder, "/incoming/1") });

        Assert.Equal(StudyOriginKinds.Folder, (await Store.FindAsync(Study("1").Key))!.Origin?.Kind);
    }

    private static JobFindings Findings(string text, DateTimeOffset at) =>
        new(text, [-0.5, -1.0 / 3, -7.25e-3], new LlavaRad.Fhir.WriteBack.ModelIdentity("llava-rad", "tiny", "0.1.0", new string('b', 64), "CC-BY", true), at);

    [Fact]
    public async Task StoredFindingsReadBackWholeAndTheFirstSavedWins()
    {
        var job = (await Store.EnqueueAsync(Study("1"))).Job;
        Assert.Null(await Store.FindFindingsAsync(job.Id));

        var first = await Store.SaveFindingsAsync(job.Id, Findings("Small effusion.", Clock.GetUtcNow()));
        var second = await Store.SaveFindingsAsync(job.Id, Findings("Something else.", Clock.GetUtcNow().AddMinutes(1)));
        var read = (await Store.FindFindingsAsync(job.Id))!;

        Assert.Equal("Small effusion.", read.Text);
        Assert.Equal([-0.5, -1.0 / 3, -7.25e-3], read.TokenLogProbabilities); // exact: the labeler must see the same numbers
        Assert.Equal(new LlavaRad.Fhir.WriteBack.ModelIdentity("llava-rad", "tiny", "0.1.0", new string('b', 64), "CC-BY", true), read.Model);
        Assert.Equal(Clock.GetUtcNow(), read.GeneratedAt);
        Assert.Equal((read.Text, read.GeneratedAt), (first.Text, first.GeneratedAt));
        Assert.Equal((read.Text, read.GeneratedAt), (second.Text, second.GeneratedAt));
    }

    [Fact]
    public async Task SinkStatesReadBackInDeliveryOrderAndADeliveredSinkStaysDelivered()
    {
        var job = (await Store.EnqueueAsync(Study("1"))).Job;
        Assert.Empty(await Store.SinkDeliveriesAsync(job.Id));

        await Store.RecordSinkAsync(job.Id, SinkNames.Hl7Mllp, SinkState.Retrying, "hl7-undelivered");
        await Store.RecordSinkAsync(job.Id, SinkNames.Fhir, SinkState.Delivered, null, "DiagnosticReport/7");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Store.RecordSinkAsync(job.Id, SinkNames.Hl7Mllp, SinkState.Delivered, null);
        await Store.RecordSinkAsync(job.Id, SinkNames.Hl7Mllp, SinkState.Retrying, "hl7-undelivered"); // a stale attempt
        await Store.RecordSinkAsync(job.Id, SinkNames.SrStow, SinkState.Rejected, "sr-store-failed");

        var sinks = await Store.SinkDeliveriesAsync(job.Id);
        Assert.Equal(
            [(SinkNames.Fhir, SinkState.Delivered, (string?)null, 1, "DiagnosticReport/7"),
             (SinkNames.SrStow, SinkState.Rejected, "sr-store-failed", 1, null),
             (SinkNames.Hl7Mllp, SinkState.Delivered, null, 2, null)],
            sinks.Select(s => (s.Sink, s.State, s.Reason, s.Attempts, s.Location)));
        Assert.Equal(Clock.GetUtcNow(), sinks[2].UpdatedAt);
        Assert.Empty(await Store.SinkDeliveriesAsync(job.Id + 1));
    }

    [Fact]
    public async Task ASucceededJobLosesItsFindingsTextButKeepsItsSinkStates()
    {
        var job = (await Store.EnqueueAsync(Study("1"))).Job;
        var claimed = (await Store.ClaimNextAsync("w1"))!;
        await Store.SaveFindingsAsync(job.Id, Findings("Small effusion.", Clock.GetUtcNow()));
        await Store.RecordSinkAsync(job.Id, SinkNames.Fhir, SinkState.Delivered, null, "DiagnosticReport/7");

        await Store.SucceedAsync(claimed);

        Assert.Null(await Store.FindFindingsAsync(job.Id));
        Assert.Equal(SinkState.Delivered, Assert.Single(await Store.SinkDeliveriesAsync(job.Id)).State);
    }

    [Fact]
    public async Task AJobRejectedBeforeAnySinkDeliveredLosesItsFindings()
    {
        var job = (await Store.EnqueueAsync(Study("1"))).Job;
        var claimed = (await Store.ClaimNextAsync("w1"))!;
        await Store.SaveFindingsAsync(job.Id, Findings("Small effusion.", Clock.GetUtcNow()));
        await Store.RecordSinkAsync(job.Id, SinkNames.Fhir, SinkState.Rejected, "fhir-rejected");

        await Store.RejectAsync(claimed, "fhir-rejected");

        Assert.Null(await Store.FindFindingsAsync(job.Id));
    }

    [Fact]
    public async Task APartlyDeliveredRejectedJobKeepsItsFindingsAndAReplayRetriesOnlyTheUndeliveredSinks()
    {
        var job = (await Store.EnqueueAsync(Study("1"))).Job;
        var claimed = (await Store.ClaimNextAsync("w1"))!;
        await Store.SaveFindingsAsync(job.Id, Findings("Small effusion.", Clock.GetUtcNow()));
        await Store.RecordSinkAsync(job.Id, SinkNames.Fhir, SinkState.Delivered, null, "DiagnosticReport/7");
        await Store.RecordSinkAsync(job.Id, SinkNames.Hl7Mllp, SinkState.Rejected, "hl7-rejected");
        await Store.RejectAsync(claimed, "hl7-rejected");

        Assert.Equal("Small effusion.", (await Store.FindFindingsAsync(job.Id))!.Text);
        Assert.True(await Store.RequeueAsync(job.Id, JobState.Rejected));

        Assert.Equal([SinkNames.Fhir], (await Store.SinkDeliveriesAsync(job.Id)).Select(s => s.Sink));
        Assert.Equal("Small effusion.", (await Store.FindFindingsAsync(job.Id))!.Text);
    }

    [Fact]
    public async Task TheOperatorListingShowsEachJobsSinks()
    {
        var one = (await Store.EnqueueAsync(Study("1"))).Job;
        var two = (await Store.EnqueueAsync(Study("2"))).Job;
        await Store.RecordSinkAsync(one.Id, SinkNames.SrStow, SinkState.Retrying, "sr-store-failed");
        await Store.RecordSinkAsync(one.Id, SinkNames.Fhir, SinkState.Delivered, null, "DiagnosticReport/7");

        var sinks = await new JobQueries(Dialect).SinksAsync([one.Id, two.Id]);

        Assert.Equal([SinkNames.Fhir, SinkNames.SrStow], sinks[one.Id].Select(s => s.Sink));
        Assert.False(sinks.ContainsKey(two.Id));
        Assert.Empty(await new JobQueries(Dialect).SinksAsync([]));
    }
}
