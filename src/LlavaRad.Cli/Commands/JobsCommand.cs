using System.CommandLine;
using System.Globalization;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Telemetry;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad jobs`: the job store as an operator needs it: state, priority, attempts, each sink's outcome and the
/// coded reason or last error of each job, newest first. Studies show as a short hash unless --show-uids: a StudyInstanceUID is an
/// identifier that can be linked to the patient, and this listing ends up in tickets and chat.
/// </summary>
public sealed class JobsCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var stateOption = new Option<JobState?>("--state")
        {
            HelpName = string.Join("|", Enum.GetValues<JobState>().Select(s => s.ToText())),
            Description = "only jobs in this state",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                try { return JobStateNames.Parse(text); }
                catch (InvalidDataException)
                {
                    result.AddError($"--state must be one of {string.Join(", ", Enum.GetValues<JobState>().Select(s => s.ToText()))}");
                    return null;
                }
            },
        };
        stateOption.CompletionSources.Add(Enum.GetValues<JobState>().Select(s => s.ToText()).ToArray());
        var limitOption = CliOptions.Whole("--limit", "at most this many jobs, newest first", 100);
        var showUidsOption = CliOptions.Flag("--show-uids", "print full StudyInstanceUIDs (patient-identifying) instead of hashes");
        var storeOption = JobStoreArgument.Option();
        var command = new Command("jobs", "list jobs with state, attempts, sink outcomes and reason").With(stateOption, limitOption, showUidsOption, storeOption);
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var (state, limit, showUids) = (parse.GetValue(stateOption), parse.GetValue(limitOption), parse.GetValue(showUidsOption));
            await using var store = JobStoreArgument.Open(parse.GetRequiredValue(storeOption));
            var queries = new JobQueries(store.Dialect);
            var jobs = await store.RunAsync(() => queries.ListAsync(state, null, limit, cancellationToken));
            var counts = await store.RunAsync(() => queries.CountByPriorityAndStateAsync(cancellationToken));
            var sinks = await store.RunAsync(() => queries.SinksAsync([.. jobs.Select(j => j.Id)], cancellationToken));

            await console.Out.WriteLineAsync(string.Join("  ", Enum.GetValues<JobState>()
                .Select(s => $"{s.ToText()} {counts.Where(c => c.Key.State == s).Sum(c => c.Value)}")));
            await console.Out.WriteLineAsync(showUids
                ? "study: full StudyInstanceUID (--show-uids); treat this output as patient-identifying"
                : "study: SHA-256 prefix of the StudyInstanceUID (a UID can be linked to the patient); --show-uids prints it");
            var rows = jobs.Select(j => new[]
            {
                j.Id.ToString(CultureInfo.InvariantCulture), j.State.ToText(), WorkerMetrics.PriorityTag(j.Priority),
                j.Attempts.ToString(CultureInfo.InvariantCulture), showUids ? j.StudyInstanceUid : StudyUidHash.Short(j.StudyInstanceUid),
                j.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                j.NextAttemptAt is { } next ? next.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-",
                Sinks(sinks.GetValueOrDefault(j.Id)),
                Reason(j, showUids),
            }).ToList();
            foreach (var line in Table(["ID", "STATE", "PRIORITY", "ATTEMPTS", "STUDY", "UPDATED", "NEXT", "SINKS", "REASON"], rows))
                await console.Out.WriteLineAsync(line);
            if (jobs.Count == limit) await console.Out.WriteLineAsync($"(first {limit}; --limit N for more)");
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>Each sink's outcome, e.g. "fhir delivered, sr-stow retrying sr-store-failed"; "-" before any sink was tried.</summary>
    private static string Sinks(IReadOnlyList<SinkDelivery>? deliveries) =>
        deliveries is { Count: > 0 }
            ? string.Join(", ", deliveries.Select(d => d.Reason is { } reason && d.State != SinkState.Delivered
                ? $"{d.Sink} {d.State.ToText()} {reason}"
                : $"{d.Sink} {d.State.ToText()}"))
            : "-";

    /// <summary>A reason or error text that quotes the study's UID shows the hash there too.</summary>
    private static string Reason(JobSummary job, bool showUids)
    {
        var text = job.LastError ?? "-";
        text = showUids ? text : text.Replace(job.StudyInstanceUid, StudyUidHash.Short(job.StudyInstanceUid), StringComparison.Ordinal);
        return text.ReplaceLineEndings(" ");
    }

    private static IEnumerable<string> Table(string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Format(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        yield return Format(header);
        foreach (var row in rows) yield return Format(row);
    }
}
