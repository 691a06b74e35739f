using System.Text.Json;
using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Which studies are still receiving instances. A study becomes due once its instance count has not changed for
/// the quiet period; a later observation with more instances makes it pending again (the job key keeps that
/// harmless). Pure and clock-free: callers pass the time, so tests need no waiting.
/// </summary>
/// <param name="submittedMemory">How long a submitted study's count is remembered, so that polls re-reading it
/// (QIDO's day window, FHIR's overlap) do not hand it over again; longer than any source's look-back.</param>
public sealed class StabilityTracker(TimeSpan quietPeriod, TimeSpan? submittedMemory = null)
{
    private readonly TimeSpan _submittedMemory = submittedMemory ?? TimeSpan.FromDays(3);
    private readonly Dictionary<string, PendingStudy> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, DateTimeOffset At)> _submitted = new(StringComparer.Ordinal);

    /// <summary>Records that the study was seen with this many instances; false when nothing changed.</summary>
    public bool Observe(StudySubmission submission, int instanceCount, DateTimeOffset now)
    {
        var uid = submission.StudyInstanceUid;
        lock (_pending)
        {
            if (_pending.TryGetValue(uid, out var pending))
            {
                var priority = (JobPriority)Math.Max((int)pending.Submission.Priority, (int)submission.Priority);
                var grew = instanceCount != pending.InstanceCount;
                _pending[uid] = pending with
                {
                    Submission = pending.Submission with { Priority = priority },
                    InstanceCount = instanceCount,
                    LastChange = grew ? now : pending.LastChange,
                };
                return grew || priority != pending.Submission.Priority;
            }
            if (_submitted.TryGetValue(uid, out var submitted) && instanceCount <= submitted.Count) return false;
            _pending[uid] = new PendingStudy(submission, instanceCount, now);
            return true;
        }
    }

    /// <summary>Pending studies whose instance count has been still for the quiet period, oldest first.</summary>
    public IReadOnlyList<PendingStudy> Due(DateTimeOffset now)
    {
        lock (_pending)
            return _pending.Values.Where(p => now - p.LastChange >= quietPeriod).OrderBy(p => p.LastChange).ToList();
    }

    /// <summary>The study was handed over with this count; the same count seen again is not a new study.</summary>
    public void MarkSubmitted(PendingStudy study, DateTimeOffset now)
    {
        lock (_pending)
        {
            foreach (var old in _submitted.Where(s => now - s.Value.At > _submittedMemory).Select(s => s.Key).ToList())
                _submitted.Remove(old);
            // Only if nothing arrived while it was being submitted; otherwise it stays pending with the new count.
            if (_pending.TryGetValue(study.Submission.StudyInstanceUid, out var current) && current.InstanceCount == study.InstanceCount)
                _pending.Remove(study.Submission.StudyInstanceUid);
            _submitted[study.Submission.StudyInstanceUid] = (study.InstanceCount, now);
        }
    }

    public int PendingCount
    {
        get { lock (_pending) return _pending.Count; }
    }

    /// <summary>The pending studies as JSON, persisted so a restart does not forget studies whose cursor moved on.</summary>
    public string Serialize()
    {
        lock (_pending) return JsonSerializer.Serialize(_pending.Values.ToList());
    }

    public void Restore(string json)
    {
        var studies = JsonSerializer.Deserialize<List<PendingStudy>>(json) ?? [];
        lock (_pending)
            foreach (var study in studies)
                _pending.TryAdd(study.Submission.StudyInstanceUid, study);
    }
}

/// <param name="LastChange">When the instance count last changed (or the study was first seen).</param>
public sealed record PendingStudy(StudySubmission Submission, int InstanceCount, DateTimeOffset LastChange);
