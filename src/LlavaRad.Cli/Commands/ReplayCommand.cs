using System.CommandLine;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Telemetry;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad replay`: puts jobs back in the queue with a fresh attempt count, after the operator fixed what failed
/// them. --job and --dead-letter take dead-lettered jobs; --study (the UID or the short hash `llavarad jobs` prints)
/// also takes a rejected study, e.g. one whose file was still being written. A queued, running or succeeded job is
/// left alone (it is not re-drafted).
/// </summary>
public sealed class ReplayCommand : ICliCommand
{
    private const int AllJobs = 1_000_000;

    public Command Create(CliConsole console)
    {
        var jobOption = new Option<long?>("--job") { HelpName = "ID", Description = "one dead-lettered job, by the id `llavarad jobs` prints" };
        var studyOption = CliOptions.Text("--study", "UID|s:HASH", "the dead-lettered or rejected jobs of one study");
        var deadLetterOption = CliOptions.Flag("--dead-letter", "every dead-lettered job");
        var storeOption = JobStoreArgument.Option();
        var command = new Command("replay", "re-queue dead-lettered jobs, or a rejected study").With(jobOption, studyOption, deadLetterOption, storeOption);
        command.Validators.Add(result =>
        {
            var given = new Option[] { jobOption, studyOption, deadLetterOption }.Count(o => result.GetResult(o) is not null);
            if (given != 1) result.AddError("replay needs exactly one of --job ID, --study UID or --dead-letter");
        });
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            await using var store = JobStoreArgument.Open(parse.GetRequiredValue(storeOption));
            var study = parse.GetValue(studyOption);
            var targets = await TargetsAsync(store, parse.GetValue(jobOption), study, cancellationToken);
            JobState[] replayable = study is null ? [JobState.DeadLettered] : [JobState.DeadLettered, JobState.Rejected];
            var jobStore = new SqlJobStore(store.Dialect, new JobStoreOptions(), TimeProvider.System);
            var replayed = 0;
            foreach (var job in targets)
            {
                var hidden = (string text) => text.Replace(job.StudyInstanceUid, StudyUidHash.Short(job.StudyInstanceUid), StringComparison.Ordinal);
                if (!replayable.Contains(job.State))
                {
                    await console.Out.WriteLineAsync($"job {job.Id}: {job.State.ToText()}, not {string.Join(" or ", replayable.Select(s => s.ToText()))}; left alone");
                    continue;
                }
                if (await store.RunAsync(() => jobStore.RequeueAsync(job.Id, job.State, cancellationToken)))
                {
                    replayed++;
                    await console.Out.WriteLineAsync(hidden($"job {job.Id}: re-queued (was {job.State.ToText()} after {job.Attempts} attempts: {job.LastError ?? "-"})"));
                }
            }
            await console.Out.WriteLineAsync($"{replayed} job(s) re-queued");
            return replayed > 0 || parse.GetValue(deadLetterOption) ? CliApp.Ok : CliApp.Failed;
        });
        return command;
    }

    private static async Task<IReadOnlyList<JobSummary>> TargetsAsync(JobStoreArgument store, long? jobId, string? study, CancellationToken cancellationToken)
    {
        var queries = new JobQueries(store.Dialect);
        if (jobId is { } id)
            return [await store.RunAsync(() => queries.FindAsync(id, cancellationToken)) ?? throw new CommandFailedException($"no job {id} in {store.Description}")];
        if (study is null)
            return await store.RunAsync(() => queries.ListAsync(JobState.DeadLettered, null, AllJobs, cancellationToken));
        var targets = study.StartsWith("s:", StringComparison.Ordinal)
            ? (await store.RunAsync(() => queries.ListAsync(null, null, AllJobs, cancellationToken)))
                .Where(j => StudyUidHash.Short(j.StudyInstanceUid) == study).ToList()
            : await store.RunAsync(() => queries.ListAsync(null, study, AllJobs, cancellationToken));
        var shown = study.StartsWith("s:", StringComparison.Ordinal) ? study : StudyUidHash.Short(study);
        return targets.Count > 0 ? targets : throw new CommandFailedException($"no job for study {shown} in {store.Description}");
    }
}
