using System.Globalization;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Telemetry;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad jobs`: the job store as an operator needs it: state, priority, attempts and the coded reason or last
/// error of each job, newest first. Studies show as a short hash unless --show-uids: a StudyInstanceUID is an
/// identifier that can be linked to the patient, and this listing ends up in tickets and chat.
/// </summary>
public sealed class JobsCommand : ICliCommand
{
    public string Name => "jobs";
    public string Usage => $"[--state S] [--limit N] [--show-uids] {JobStoreArgument.Usage}   list jobs with state, attempts and reason";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var showUids = args.Contains("--show-uids");
        var options = CommandOptions.Parse(args.Where(a => a != "--show-uids"));
        var state = options.Get("state") is { } text ? ParseState(text) : (JobState?)null;
        var limit = options.Get("limit") is { } l ? int.TryParse(l, out var n) && n > 0 ? n : throw new UsageException("--limit must be a positive number") : 100;

        await using var store = JobStoreArgument.Open(options.Get("store"));
        var queries = new JobQueries(store.Dialect);
        var jobs = await store.RunAsync(() => queries.ListAsync(state, null, limit, cancellationToken));
        var counts = await store.RunAsync(() => queries.CountByPriorityAndStateAsync(cancellationToken));

        await stdout.WriteLineAsync(string.Join("  ", Enum.GetValues<JobState>()
            .Select(s => $"{s.ToText()} {counts.Where(c => c.Key.State == s).Sum(c => c.Value)}")));
        await stdout.WriteLineAsync(showUids
            ? "study: full StudyInstanceUID (--show-uids); treat this output as patient-identifying"
            : "study: SHA-256 prefix of the StudyInstanceUID (a UID can be linked to the patient); --show-uids prints it");
        var rows = jobs.Select(j => new[]
        {
            j.Id.ToString(CultureInfo.InvariantCulture), j.State.ToText(), WorkerMetrics.PriorityTag(j.Priority),
            j.Attempts.ToString(CultureInfo.InvariantCulture), showUids ? j.StudyInstanceUid : StudyUidHash.Short(j.StudyInstanceUid),
            j.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            j.NextAttemptAt is { } next ? next.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-",
            Reason(j, showUids),
        }).ToList();
        foreach (var line in Table(["ID", "STATE", "PRIORITY", "ATTEMPTS", "STUDY", "UPDATED", "NEXT", "REASON"], rows))
            await stdout.WriteLineAsync(line);
        if (jobs.Count == limit) await stdout.WriteLineAsync($"(first {limit}; --limit N for more)");
        return CliApp.Ok;
    }

    /// <summary>A reason or error text that quotes the study's UID shows the hash there too.</summary>
    private static string Reason(JobSummary job, bool showUids)
    {
        var text = job.LastError ?? "-";
        text = showUids ? text : text.Replace(job.StudyInstanceUid, StudyUidHash.Short(job.StudyInstanceUid), StringComparison.Ordinal);
        return text.ReplaceLineEndings(" ");
    }

    public static JobState ParseState(string text)
    {
        try
        {
            return JobStateNames.Parse(text);
        }
        catch (InvalidDataException)
        {
            throw new UsageException($"--state must be one of {string.Join(", ", Enum.GetValues<JobState>().Select(s => s.ToText()))}");
        }
    }

    private static IEnumerable<string> Table(string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Format(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        yield return Format(header);
        foreach (var row in rows) yield return Format(row);
    }
}
