using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Where the sources that cannot tell stability themselves (FHIR, QIDO) leave their studies. Pending studies are
/// saved in the cursor table on every change, so a source may move its cursor past a study that is not yet stable
/// and a restart still submits it. Sources that know stability (Orthanc's StableStudy) submit directly.
/// </summary>
public sealed class StudyStabilityGate(
    SqlCursorStore cursors, IStudySubmitter submitter, IOptions<StudySourcesOptions> options, TimeProvider clock,
    WorkerMetrics metrics, ILogger<StudyStabilityGate> logger)
{
    public const string CursorName = "stability-pending";
    private readonly StabilityTracker _tracker = new(options.Value.Stability.QuietPeriod);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _restored;

    public int PendingCount => _tracker.PendingCount;

    public Task ObserveAsync(StudySubmission submission, int instanceCount, CancellationToken cancellationToken) =>
        ObserveAllAsync([(submission, instanceCount)], cancellationToken);

    /// <summary>A page of studies at once: the pending set is saved once, not once per study.</summary>
    public async Task ObserveAllAsync(IReadOnlyCollection<(StudySubmission Submission, int InstanceCount)> studies,
        CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await RestoreOnceAsync(cancellationToken);
            var changed = false;
            foreach (var (submission, instanceCount) in studies)
            {
                metrics.RecordSourceEvent(submission.SourceName, "observed");
                changed |= _tracker.Observe(submission, instanceCount, clock.GetUtcNow());
            }
            if (changed) await cursors.SaveTextAsync(CursorName, _tracker.Serialize(), cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Submits every study that has been still for the quiet period; returns how many.</summary>
    public async Task<int> SubmitStableAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await RestoreOnceAsync(cancellationToken);
            var due = _tracker.Due(clock.GetUtcNow());
            var submitted = 0;
            try
            {
                foreach (var study in due)
                {
                    await submitter.SubmitAsync(study.Submission, cancellationToken);
                    _tracker.MarkSubmitted(study, clock.GetUtcNow());
                    metrics.RecordSourceEvent(study.Submission.SourceName, "submitted");
                    logger.LogInformation("Study {Study} stable with {Instances} instances; submitted from {Source} at {Priority}",
                        StudyUidHash.Short(study.Submission.StudyInstanceUid), study.InstanceCount, study.Submission.SourceName,
                        study.Submission.Priority);
                    submitted++;
                }
            }
            finally
            {
                if (submitted > 0) await cursors.SaveTextAsync(CursorName, _tracker.Serialize(), CancellationToken.None);
            }
            return submitted;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task RestoreOnceAsync(CancellationToken cancellationToken)
    {
        if (_restored) return;
        if (await cursors.LoadTextAsync(CursorName, cancellationToken) is { Length: > 0 } json) _tracker.Restore(json);
        _restored = true;
    }
}
