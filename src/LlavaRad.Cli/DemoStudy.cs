using System.Collections.Concurrent;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;

namespace LlavaRad.Cli;

/// <summary>One row of the demo's table: a study folder and how its job ended. Folder names, never patient data.</summary>
/// <see cref="DraftFile"/> is the local bundle's path (null when the draft went to a FHIR server).
public sealed record DemoStudy(string Study, string Outcome, string? Image, string? Priority, string? Findings, string? Draft, string? DraftFile, TimeSpan Elapsed);

/// <summary>
/// Watches the worker's job outcomes for the embedded worker: reports a progress line per finished study and
/// collects the rows of the final table. Retries are shown but only a final state (succeeded, rejected,
/// dead-lettered) counts as done.
/// </summary>
public sealed class DemoProgress(string studiesRoot, int expected) : IJobOutcomeObserver
{
    private readonly ConcurrentDictionary<string, DemoStudy> _done = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set before the worker starts; lines go to the console or the live progress bar.</summary>
    public ProgressLines? Lines { get; set; }

    public Task AllDone => _allDone.Task;

    public IReadOnlyList<DemoStudy> Rows => _done.Values.OrderBy(r => r.Study, StringComparer.Ordinal).ToList();

    public void OnAttemptFinished(JobOutcome outcome)
    {
        var study = outcome.Job.Origin is { } origin ? Path.GetRelativePath(studiesRoot, origin.Reference) : $"job {outcome.Job.Id}";
        if (outcome.State == JobState.Retrying)
        {
            Lines?.Note($"      {study}: {outcome.Code}, will retry");
            return;
        }
        var row = new DemoStudy(study, outcome.Code, outcome.Draft?.Image, outcome.Draft?.Urgency, outcome.Draft?.FindingsExcerpt,
            outcome.Draft is { } d ? (d.Target == "fhir" ? d.Draft.Location : Path.GetFileName(d.Draft.Location)) : null,
            outcome.Draft is { Target: not "fhir" } local ? local.Draft.Location : null, outcome.Elapsed);
        if (!_done.TryAdd(study, row)) return;
        Lines?.Step($"      [{_done.Count}/{expected}] {study}: {outcome.Code}"
            + (row.Image is null ? "" : $" ({row.Image}, {row.Priority})") + $" in {row.Elapsed.TotalSeconds:0.0} s");
        if (_done.Count >= expected) _allDone.TrySetResult();
    }
}
