using System.Collections.Concurrent;
using LlavaRad.Worker.Sources;

namespace LlavaRad.Worker.Tests.Sources;

/// <summary>A double of our own seam: records what the sources hand over. Can be told to fail, like a store that is down.</summary>
public sealed class RecordingStudySubmitter : IStudySubmitter
{
    private readonly ConcurrentQueue<StudySubmission> _submissions = new();

    public bool Failing { get; set; }

    public IReadOnlyList<StudySubmission> Submissions => _submissions.ToList();

    public int CountFor(string studyInstanceUid) => _submissions.Count(s => s.StudyInstanceUid == studyInstanceUid);

    public Task SubmitAsync(StudySubmission submission, CancellationToken cancellationToken)
    {
        if (Failing) throw new InvalidOperationException("job store down (test)");
        _submissions.Enqueue(submission);
        return Task.CompletedTask;
    }
}
