using System.Text;
using LlavaRad.Fhir;
using LlavaRad.Hl7v2.Tests;
using LlavaRad.Imaging;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sources;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>
/// The issue's HL7 crash proof: the worker process is killed with SIGKILL after the RIS (a real MLLP listener on
/// python3-hl7) has its ORU^R01 but before the ACK. A new worker on the same job store sends the same message again,
/// with the same MSH-10, so the RIS can drop the duplicate; no other control id is ever sent.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class WorkerMllpCrashTests(Peers peers) : IAsyncLifetime
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4); // a bound, not a benchmark
    private readonly TempDirectory _dir = new();
    private readonly TinyNode _node = new();
    private readonly StringBuilder _log = new();

    private FhirStore Fhir => new(new HttpClient { BaseAddress = peers.FhirUrl });

    public Task InitializeAsync() => _node.StartAsync();

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task AWorkerKilledBetweenTheOruAndItsAckIsFollowedByTheSameMessageWithTheSameControlIdAndNoOther()
    {
        var study = await WorkerSampleStudy.LoadAsync(Fhir, new DicomWebClient(new HttpClient { BaseAddress = peers.DicomWebUrl }),
            peers.DicomWebUrl, "pa-chest-dx-8bit-no-window");
        var store = new SqlJobStore(JobStoreDialects.Sqlite(_dir.File("jobs.db")), new JobStoreOptions(), TimeProvider.System);
        await store.MigrateAsync();
        var job = await SubmitAsync(store, study);
        var (controlIds, messages) = (_dir.File("control-ids"), Directory.CreateDirectory(_dir.File("messages")).FullName);
        using var ris = new MllpListener(controlIds, hold: 1, messages: messages); // no ACK for the first message, AA after
        string[] arguments = [.. Arguments(), $"--Exports:Mllp:Host=127.0.0.1", $"--Exports:Mllp:Port={ris.Port}"];
        using var limit = new CancellationTokenSource(RunLimit);

        using (var first = WorkerProcess.Start(arguments, _log, "worker-1"))
        {
            while (Received(controlIds).Length == 0) await Task.Delay(50, limit.Token);
            await first.KillAsync(); // the ORU is at the RIS, its ACK is not at the worker
        }
        Assert.Equal(JobState.Running, (await store.FindAsync(job.Key))!.State);
        Assert.DoesNotContain(await store.SinkDeliveriesAsync(job.Id), s => s.Sink == SinkNames.Hl7Mllp && s.State == SinkState.Delivered);

        using (WorkerProcess.Start(arguments, _log, "worker-2"))
        {
            while ((await store.FindAsync(job.Key))!.State is not (JobState.Succeeded or JobState.Rejected or JobState.DeadLettered))
                await Task.Delay(100, limit.Token);
        }

        Assert.Equal(JobState.Succeeded, (await store.FindAsync(job.Key))!.State);
        var sinks = (await store.SinkDeliveriesAsync(job.Id)).ToDictionary(s => s.Sink);
        Assert.Equal(SinkState.Delivered, sinks[SinkNames.Hl7Mllp].State);
        Assert.Equal((SinkState.Delivered, 1), (sinks[SinkNames.Fhir].State, sinks[SinkNames.Fhir].Attempts)); // not written again
        // Exactly the held message and its resend, both carrying the one control id, byte for byte the same message.
        var received = Received(controlIds);
        Assert.Equal(2, received.Length);
        Assert.Single(received.Distinct());
        Assert.False(string.IsNullOrWhiteSpace(received[0]));
        var (held, resent) = (File.ReadAllText(Path.Combine(messages, "0001.hl7")), File.ReadAllText(Path.Combine(messages, "0002.hl7")));
        Assert.Equal(held, resent);
        Assert.Contains($"|{received[0]}|", held.Split('\r')[0], StringComparison.Ordinal); // MSH-10 as the listener parsed it
        Assert.Equal(["0001.hl7", "0002.hl7"], Directory.GetFiles(messages).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Single(await WorkerDrafts.ReportsForAsync(Fhir, study));
        LogScan.AssertNoPatientData(_log.Read(), [study.StudyInstanceUid]);
    }

    private static string[] Received(string controlIds) => File.Exists(controlIds) ? File.ReadAllLines(controlIds) : [];

    /// <summary>The crash tests' settings with one drafting slot, and an ACK timeout well past the test's kill, so the
    /// first worker never gives up on its own and resends before it is killed.</summary>
    private string[] Arguments() =>
    [
        $"--JobStore:SqlitePath={_dir.File("jobs.db")}", "--Pipeline:Concurrency=1",
        .. WorkerProcess.CrashTestArguments(_node.Address, peers.FhirUrl, peers.DicomWebUrl, _dir),
        "--Exports:Mllp:ConnectTimeout=00:00:20", "--Exports:Mllp:AckTimeout=00:05:00",
    ];

    /// <summary>The job as a source submits it (the pipeline's model id and version).</summary>
    private static async Task<Job> SubmitAsync(IJobStore store, WorkerSampleStudy study)
    {
        var pipeline = new PipelineOptions();
        return (await store.EnqueueAsync(new JobRequest(study.StudyInstanceUid, pipeline.ModelId, pipeline.PipelineVersion, JobPriority.Routine,
            new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference)))).Job;
    }
}
