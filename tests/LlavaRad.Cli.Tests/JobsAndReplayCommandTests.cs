using System.Security.Cryptography;
using System.Text;
using LlavaRad.Worker.Jobs;

namespace LlavaRad.Cli.Tests;

/// <summary>`llavarad jobs` and `llavarad replay` against a real SQLite job store the worker's own code filled.</summary>
public sealed class JobsAndReplayCommandTests : IDisposable
{
    private const string Uid1 = "2.25.1111111111111111111", Uid2 = "2.25.2222222222222222222", Uid3 = "2.25.3333333333333333333";
    private readonly TempDirectory _dir = new();
    private readonly SqlJobStore _store;

    public JobsAndReplayCommandTests()
    {
        _store = new SqlJobStore(JobStoreDialects.Sqlite(_dir.File("jobs.db")),
            new JobStoreOptions { MaxAttempts = 1 }, TimeProvider.System);
        _store.MigrateAsync().GetAwaiter().GetResult();
    }

    private string Store => $"sqlite:{_dir.File("jobs.db")}";

    /// <summary>Uid1 dead-lettered with an error quoting its UID, Uid2 rejected, Uid3 queued.</summary>
    private async Task FillAsync()
    {
        await _store.EnqueueAsync(new JobRequest(Uid1, "m", "p", JobPriority.Stat));
        var job = (await _store.ClaimNextAsync("w1"))!;
        await _store.FailAsync(job, $"dicomweb-timeout: study {Uid1} did not answer");
        await _store.EnqueueAsync(new JobRequest(Uid2, "m", "p", JobPriority.Routine));
        await _store.RejectAsync((await _store.ClaimNextAsync("w1"))!, "no-frontal-view");
        await _store.EnqueueAsync(new JobRequest(Uid3, "m", "p", JobPriority.Urgent));
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Computed here independently of the code under test: "s:" + first 12 hex digits of SHA-256.</summary>
    private static string Hash(string uid) => "s:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(uid)))[..12];

    [Fact]
    public async Task JobsListsStatesReasonsAndAttemptsWithHashedStudies()
    {
        await FillAsync();

        var (exit, output, _) = await RunAsync("jobs", "--store", Store);

        Assert.Equal(CliApp.Ok, exit);
        var dead = output.Split('\n').Single(l => l.Contains("dead-lettered  stat"));
        Assert.Contains(Hash(Uid1), dead);
        Assert.Contains($"dicomweb-timeout: study {Hash(Uid1)} did not answer", dead);
        Assert.Contains(output.Split('\n'), l => l.Contains("rejected") && l.Contains("no-frontal-view") && l.Contains(Hash(Uid2)));
        Assert.Contains(output.Split('\n'), l => l.Contains("queued") && l.Contains("urgent") && l.Contains(Hash(Uid3)));
        Assert.DoesNotContain("2.25.", output);
        Assert.Contains("queued 1  running 0  retrying 0  succeeded 0  rejected 1  dead-lettered 1", output);
    }

    [Fact]
    public async Task JobsShowsEachSinksOutcomeInDeliveryOrder()
    {
        await FillAsync();
        var dead = (await _store.FindAsync(new JobRequest(Uid1, "m", "p", JobPriority.Stat).Key))!;
        await _store.RecordSinkAsync(dead.Id, SinkNames.SrStow, SinkState.Retrying, "sr-store-failed");
        await _store.RecordSinkAsync(dead.Id, SinkNames.Fhir, SinkState.Delivered, null, "DiagnosticReport/7");
        await _store.RecordSinkAsync(dead.Id, SinkNames.Hl7Mllp, SinkState.Rejected, "hl7-rejected");

        var (exit, output, _) = await RunAsync("jobs", "--store", Store);

        Assert.Equal(CliApp.Ok, exit);
        var lines = output.Split('\n');
        Assert.Contains("SINKS", lines.Single(l => l.StartsWith("ID ", StringComparison.Ordinal)));
        Assert.Contains("fhir delivered, sr-stow retrying sr-store-failed, hl7-mllp rejected hl7-rejected",
            lines.Single(l => l.Contains("dead-lettered  stat")));
        Assert.DoesNotContain("delivered", lines.Single(l => l.Contains("queued") && l.Contains(Hash(Uid3))));
    }

    [Fact]
    public async Task ShowUidsPrintsTheFullUid()
    {
        await FillAsync();
        var (_, output, _) = await RunAsync("jobs", "--store", Store, "--show-uids", "--state", "dead-lettered");

        Assert.Contains(Uid1, output);
        Assert.DoesNotContain(Uid2, output);
    }

    [Fact]
    public async Task AnUnknownStateIsAUsageErrorListingTheStates()
    {
        var (exit, _, error) = await RunAsync("jobs", "--store", Store, "--state", "lost");
        Assert.Equal(CliApp.Usage, exit);
        Assert.Contains("dead-lettered", error);
    }

    [Fact]
    public async Task AMissingStoreFileFailsNamingThePath()
    {
        var (exit, _, error) = await RunAsync("jobs", "--store", "sqlite:" + _dir.File("nope.db"));
        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("nope.db", error);
        Assert.False(File.Exists(_dir.File("nope.db")), "listing must not create a job store");
    }

    [Fact]
    public async Task ReplayByHashRequeuesTheDeadLetteredStudy()
    {
        await FillAsync();

        var (exit, output, _) = await RunAsync("replay", "--store", Store, "--study", Hash(Uid1));

        Assert.Equal(CliApp.Ok, exit);
        Assert.Contains("1 job(s) re-queued", output);
        var job = await _store.FindAsync(new JobRequest(Uid1, "m", "p", JobPriority.Stat).Key);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.Equal(0, job.Attempts);
    }

    [Fact]
    public async Task ReplayLeavesAJobThatIsNotDeadLetteredAlone()
    {
        await FillAsync();
        var rejected = await _store.FindAsync(new JobRequest(Uid2, "m", "p", JobPriority.Routine).Key);

        var (exit, output, _) = await RunAsync("replay", "--store", Store, "--job", rejected!.Id.ToString());

        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("rejected, not dead-lettered", output);
        Assert.Equal(JobState.Rejected, (await _store.FindAsync(rejected.Key))!.State);
    }

    [Fact]
    public async Task ReplayByStudyRequeuesARejectedStudyWithAFreshAttemptCount()
    {
        await FillAsync();

        var (exit, output, _) = await RunAsync("replay", "--store", Store, "--study", Uid2);

        Assert.Equal(CliApp.Ok, exit);
        Assert.Contains("re-queued (was rejected after 1 attempts: no-frontal-view)", output);
        var job = await _store.FindAsync(new JobRequest(Uid2, "m", "p", JobPriority.Routine).Key);
        Assert.Equal((JobState.Queued, 0), (job!.State, job.Attempts));
    }

    [Fact]
    public async Task ReplayByStudyLeavesAQueuedStudyAlone()
    {
        await FillAsync();

        var (exit, output, _) = await RunAsync("replay", "--store", Store, "--study", Uid3);

        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("queued, not dead-lettered or rejected; left alone", output);
    }

    [Fact]
    public async Task ReplayDeadLetterRequeuesEveryDeadLetteredJob()
    {
        await FillAsync();
        await _store.EnqueueAsync(new JobRequest("2.25.4", "m", "p", JobPriority.Routine));
        await _store.FailAsync((await _store.ClaimNextAsync("w1"))!, "fhir-server-error");
        await _store.FailAsync((await _store.ClaimNextAsync("w1"))!, "fhir-server-error"); // Uid3 too

        var (exit, output, _) = await RunAsync("replay", "--store", Store, "--dead-letter");

        Assert.Equal(CliApp.Ok, exit);
        Assert.Contains("3 job(s) re-queued", output);
        Assert.Empty(await new JobQueries(JobStoreDialects.Sqlite(_dir.File("jobs.db"))).ListAsync(JobState.DeadLettered));
    }

    [Fact]
    public async Task ReplayNeedsExactlyOneTarget()
    {
        var (exit, _, error) = await RunAsync("replay", "--store", Store, "--dead-letter", "--job", "1");
        Assert.Equal(CliApp.Usage, exit);
        Assert.Contains("exactly one", error);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
