using System.Diagnostics;
using LlavaRad.Worker;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Bench.Worker;

/// <summary>
/// The worker's memory with many queued jobs: a fresh worker (SQLite job store in a temp folder) with its kill
/// switch engaged, so nothing is claimed and every job stays queued; jobs enter through IStudySubmitter, the door
/// every source uses. Memory is read after a full, compacting GC: managed heap and the process working set. The
/// process also holds the benchmark itself, so the difference before/after is the part the queue costs.
/// </summary>
public static class QueueMemory
{
    public static async Task RunAsync(int jobs, string? fhirUrl, Uri nodeAddress)
    {
        var dir = Directory.CreateTempSubdirectory("llavarad-bench-queue-");
        try
        {
            var killSwitch = Path.Combine(dir.FullName, "paused");
            await File.WriteAllTextAsync(killSwitch, "benchmark: keep every job queued");
            string[] args =
            [
                "--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={Path.Combine(dir.FullName, "jobs.db")}",
                $"--InferenceNode:Address={nodeAddress}", $"--Pipeline:KillSwitchFile={killSwitch}",
                $"--Pipeline:DraftFolder={Path.Combine(dir.FullName, "drafts")}", $"--Audit:FilePath={Path.Combine(dir.FullName, "audit.jsonl")}",
                .. fhirUrl is null ? Array.Empty<string>() : [$"--Fhir:BaseUrl={fhirUrl}"],
            ];
            await using var worker = WorkerHost.Build(args, b => b.Logging.SetMinimumLevel(LogLevel.Error));
            await worker.StartAsync();
            var before = Measure();

            var submitter = worker.Services.GetRequiredService<IStudySubmitter>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < jobs; i++)
            {
                // Distinct made-up UIDs: each is a new job (same key = same job). Never resolved: the runner is paused.
                await submitter.SubmitAsync(new StudySubmission($"2.25.{900000000000 + i}", JobPriority.Routine,
                    new StudyOrigin(StudyOriginKinds.Fhir, $"ImagingStudy/bench-{i}"), "bench"), CancellationToken.None);
            }
            var enqueueSeconds = clock.Elapsed.TotalSeconds;
            var after = Measure();
            var counts = await worker.Services.GetRequiredService<IJobStore>().CountByStateAsync();
            var queued = counts.TryGetValue(JobState.Queued, out var q) ? q : 0;
            await worker.StopAsync();

            var dbBytes = dir.EnumerateFiles("jobs.db*").Sum(f => f.Length);
            Console.WriteLine($"  queue: {queued} jobs queued (runner paused by its kill switch), enqueued through IStudySubmitter in {enqueueSeconds:F1} s ({jobs / enqueueSeconds:F0} jobs/s)");
            Console.WriteLine($"  worker memory   before: managed {Mib(before.Managed),7:F1} MiB  working set {Mib(before.WorkingSet),7:F1} MiB");
            Console.WriteLine($"                  after:  managed {Mib(after.Managed),7:F1} MiB  working set {Mib(after.WorkingSet),7:F1} MiB");
            Console.WriteLine($"                  delta:  managed {Mib(after.Managed - before.Managed),7:F1} MiB  working set {Mib(after.WorkingSet - before.WorkingSet),7:F1} MiB  (SQLite files {Mib(dbBytes):F1} MiB on disk)");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    private static (long Managed, long WorkingSet) Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (managed, process.WorkingSet64);
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);
}
