using System.Diagnostics;
using LlavaRad.Bench.Worker;
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

namespace LlavaRad.Bench;

/// <summary>
/// Studies per second through the worker with a model that answers at once (<see cref="InstantNode"/>), against a
/// baseline client in the same run (<see cref="BaselineClient"/>) making the same peer calls with nothing else, at
/// the same concurrency, on fresh copies of one sample study in the real Orthanc and FHIR peers. Ours: the real
/// worker host in-process (SQLite job store, job runner, audit file, FHIR write-back), all studies submitted
/// through IStudySubmitter, timed from the first submission until the last job succeeded. Prints
/// studies/s per round and over all rounds (order alternating), the ratio ours/baseline (goal >= 0.8), and first the
/// worker's memory with 10,000 queued jobs.
/// Args: [studies=20] [rounds=4] [concurrency=4] [queued=10000] [sample folder].
/// </summary>
public sealed class WorkerThroughputBenchmark : IBenchmark
{
    private const int WarmUpStudies = 4;
    private static readonly TimeSpan RoundLimit = TimeSpan.FromMinutes(5);

    public string Name => "worker-throughput";

    public int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var studies = args.Length > 0 ? int.Parse(args[0]) : 20;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 4;
        var concurrency = args.Length > 2 ? int.Parse(args[2]) : 4;
        var queued = args.Length > 3 ? int.Parse(args[3]) : 10_000;
        var sample = args.Length > 4 ? args[4] : "pa-and-lateral-chest-dx-two-series";
        var fhirUrl = Environment.GetEnvironmentVariable("PEER_FHIR_URL");
        var dicomWebUrl = Environment.GetEnvironmentVariable("PEER_DICOMWEB_URL");
        if (string.IsNullOrWhiteSpace(fhirUrl) || string.IsNullOrWhiteSpace(dicomWebUrl))
        {
            Console.Error.WriteLine("worker-throughput needs the real peers (Orthanc + DICOMweb, FHIR); start them first:");
            Console.Error.WriteLine("  st=$(mktemp -d); bash deploy/peers/peers.sh start \"$st\" > $st/env.sh && source $st/env.sh");
            Console.Error.WriteLine("  ... then run this again; afterwards: bash deploy/peers/peers.sh stop \"$st\"");
            return 2;
        }
        var fhirBase = new Uri(fhirUrl.TrimEnd('/') + "/");
        var dicomWebBase = new Uri(dicomWebUrl.TrimEnd('/') + "/");

        await using var node = new InstantNode();
        await node.StartAsync();
        Console.WriteLine($"worker-throughput: {studies} studies per side per round ({sample}), concurrency {concurrency}, {rounds} rounds; " +
            $"model double answers at once; {Environment.ProcessorCount} cores");

        // Memory first, while the process holds nothing but the node double.
        await QueueMemory.RunAsync(queued, fhirBase.AbsoluteUri, node.Address);

        using var loaderFhirHttp = new HttpClient { BaseAddress = fhirBase };
        using var loaderDicomHttp = new HttpClient { BaseAddress = dicomWebBase, Timeout = TimeSpan.FromMinutes(2) };
        var loader = new BenchStudies(new FhirStore(loaderFhirHttp), new DicomWebClient(loaderDicomHttp), dicomWebBase, RepoRoot(), sample);

        var dir = Directory.CreateTempSubdirectory("llavarad-bench-worker-");
        var counter = new CompletionCounter();
        var worker = WorkerHost.Build(
        [
            "--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={Path.Combine(dir.FullName, "jobs.db")}",
            $"--InferenceNode:Address={node.Address}", $"--Fhir:BaseUrl={fhirBase.AbsoluteUri}", $"--DicomWeb:BaseUrl={dicomWebBase.AbsoluteUri}",
            $"--Pipeline:Concurrency={concurrency}", "--Pipeline:IdlePollInterval=00:00:00.100",
            $"--Pipeline:DraftFolder={Path.Combine(dir.FullName, "drafts")}", $"--Audit:FilePath={Path.Combine(dir.FullName, "audit.jsonl")}",
        ], builder =>
        {
            // Per-job information logs would go to the console: a deployment ships them to a collector instead.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<IJobOutcomeObserver>(counter);
        });
        using var nodeClient = new InferenceNodeClient(new InferenceNodeClientOptions { Address = node.Address });
        using var baseline = new BaselineClient(fhirBase, nodeClient);
        try
        {
            await worker.StartAsync();
            var submitter = worker.Services.GetRequiredService<IStudySubmitter>();

            // Warm-up (JIT, connection pools) on both paths; not timed.
            await OursAsync(submitter, counter, await loader.LoadAsync(WarmUpStudies));
            await BaselineAsync(baseline, await loader.LoadAsync(WarmUpStudies), concurrency);

            // The peers slow down as they fill up (the in-memory FHIR server searches grow with every draft), so
            // whichever side runs second would lose. Rounds alternate the order (ours first, then baseline first:
            // ABBA...) and the ratio is taken over the totals, which cancels a steady drift; more, smaller rounds
            // leave less drift inside each round.
            var totalOurs = TimeSpan.Zero;
            var totalBaseline = TimeSpan.Zero;
            for (var round = 1; round <= rounds; round++)
            {
                var forOurs = await loader.LoadAsync(studies);
                var forBaseline = await loader.LoadAsync(studies);
                TimeSpan ours, plain;
                if (round % 2 == 1)
                {
                    ours = await OursAsync(submitter, counter, forOurs);
                    plain = await BaselineAsync(baseline, forBaseline, concurrency);
                }
                else
                {
                    plain = await BaselineAsync(baseline, forBaseline, concurrency);
                    ours = await OursAsync(submitter, counter, forOurs);
                }
                Console.WriteLine($"  round {round} ({(round % 2 == 1 ? "ours first" : "baseline first")}): ours {studies / ours.TotalSeconds,6:F2} studies/s ({ours.TotalSeconds:F2} s)   " +
                    $"baseline {studies / plain.TotalSeconds,6:F2} studies/s ({plain.TotalSeconds:F2} s)   ratio {plain / ours:F2}");
                totalOurs += ours;
                totalBaseline += plain;
            }
            var total = studies * rounds;
            Console.WriteLine($"  ours      {total / totalOurs.TotalSeconds,6:F2} studies/s over {total} studies (worker: job store, runner x{concurrency}, audit, labeler, FHIR write-back)");
            Console.WriteLine($"  baseline  {total / totalBaseline.TotalSeconds,6:F2} studies/s over {total} studies (same peer calls, {concurrency} at a time, nothing else)");
            Console.WriteLine($"  ratio ours/baseline = {totalBaseline / totalOurs:F2} (goal >= 0.8)");
            return 0;
        }
        finally
        {
            await worker.StopAsync();
            await worker.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Submits every study through the worker's own door and waits until the runner finished them all.</summary>
    private static async Task<TimeSpan> OursAsync(IStudySubmitter submitter, CompletionCounter counter, IReadOnlyList<BenchStudy> studies)
    {
        var done = counter.Expect(studies.Count);
        var clock = Stopwatch.StartNew();
        foreach (var study in studies)
            await submitter.SubmitAsync(new StudySubmission(study.StudyInstanceUid, JobPriority.Routine,
                new StudyOrigin(StudyOriginKinds.Fhir, study.ImagingStudyReference), "bench"), CancellationToken.None);
        var failed = await done.WaitAsync(RoundLimit);
        var elapsed = clock.Elapsed;
        if (failed > 0) throw new InvalidOperationException($"{failed} of {studies.Count} jobs did not succeed; first: {counter.FirstError}");
        return elapsed;
    }

    /// <summary>The same studies' peer calls, <paramref name="concurrency"/> at a time.</summary>
    private static async Task<TimeSpan> BaselineAsync(BaselineClient baseline, IReadOnlyList<BenchStudy> studies, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(studies, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (study, ct) => await baseline.RunAsync(study, ct));
        return clock.Elapsed;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "sample-studies"))) return dir.FullName;
        throw new DirectoryNotFoundException("run from inside the repository: sample-studies/ not found");
    }
}
