using System.Globalization;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Telemetry;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad replay`: puts dead-lettered jobs back in the queue with a fresh attempt count, after the operator
/// fixed what failed them. Jobs in any other state are left alone (a running or finished job is not re-drafted).
/// --study takes the UID or the short hash `llavarad jobs` prints.
/// </summary>
public sealed class ReplayCommand : ICliCommand
{
    private const int AllJobs = 1_000_000;

    public string Name => "replay";
    public string Usage => $"--job ID | --study UID|s:HASH | --dead-letter {JobStoreArgument.Usage}   re-queue dead-lettered jobs";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var deadLetter = args.Contains("--dead-letter");
        var options = CommandOptions.Parse(args.Where(a => a != "--dead-letter"));
        var jobId = options.Get("job");
        var study = options.Get("study");
        if ((deadLetter ? 1 : 0) + (jobId is null ? 0 : 1) + (study is null ? 0 : 1) != 1)
            throw new UsageException("replay needs exactly one of --job ID, --study UID or --dead-letter");

        await using var store = JobStoreArgument.Open(options.Get("store"));
        var queries = new JobQueries(store.Dialect);
        var jobStore = new SqlJobStore(store.Dialect, new JobStoreOptions(), TimeProvider.System);

        IReadOnlyList<JobSummary> targets;
        if (jobId is not null)
        {
            var id = long.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed : throw new UsageException($"--job must be a job id number, got \"{jobId}\"");
            targets = [await store.RunAsync(() => queries.FindAsync(id, cancellationToken))
                       ?? throw new CommandFailedException($"no job {id} in {store.Description}")];
        }
        else if (study is not null)
        {
            targets = study.StartsWith("s:", StringComparison.Ordinal)
                ? (await store.RunAsync(() => queries.ListAsync(null, null, AllJobs, cancellationToken)))
                    .Where(j => StudyUidHash.Short(j.StudyInstanceUid) == study).ToList()
                : await store.RunAsync(() => queries.ListAsync(null, study, AllJobs, cancellationToken));
            if (targets.Count == 0) throw new CommandFailedException($"no job for study {Shown(study)} in {store.Description}");
        }
        else
        {
            targets = await store.RunAsync(() => queries.ListAsync(JobState.DeadLettered, null, AllJobs, cancellationToken));
        }

        var replayed = 0;
        foreach (var job in targets)
        {
            if (job.State != JobState.DeadLettered)
            {
                await stdout.WriteLineAsync($"job {job.Id}: {job.State.ToText()}, not dead-lettered; left alone");
                continue;
            }
            if (await store.RunAsync(() => jobStore.ReplayAsync(job.Id, cancellationToken)))
            {
                replayed++;
                await stdout.WriteLineAsync($"job {job.Id}: re-queued (was dead-lettered after {job.Attempts} attempts: {job.LastError ?? "-"})"
                    .Replace(job.StudyInstanceUid, StudyUidHash.Short(job.StudyInstanceUid), StringComparison.Ordinal));
            }
        }
        await stdout.WriteLineAsync($"{replayed} job(s) re-queued");
        return replayed > 0 || deadLetter ? CliApp.Ok : CliApp.Failed;
    }

    private static string Shown(string study) => study.StartsWith("s:", StringComparison.Ordinal) ? study : StudyUidHash.Short(study);
}
