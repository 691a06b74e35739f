using System.Collections.Concurrent;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;

namespace LlavaRad.Worker.Tests.Pipeline;

/// <summary>An in-process double of our own pipeline seam: each study UID maps to what its run does.</summary>
public sealed class ScriptedPipeline : IStudyPipeline
{
    private readonly ConcurrentDictionary<string, Func<Job, CancellationToken, Task<StudyDraft>>> _script = new();
    private int _running;

    public int MaxRunningAtOnce { get; private set; }
    public ConcurrentBag<long> Ran { get; } = [];

    public void On(string uid, Func<Job, CancellationToken, Task<StudyDraft>> run) => _script[uid] = run;

    public static StudyDraft Draft(string uid) =>
        new("image.dcm", "routine", "text", new DraftLocation($"draft-{uid}.json", Created: true), "local");

    public async Task<StudyDraft> RunAsync(Job job, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _running);
        lock (this) MaxRunningAtOnce = Math.Max(MaxRunningAtOnce, now);
        try
        {
            Ran.Add(job.Id);
            return _script.TryGetValue(job.StudyInstanceUid, out var run)
                ? await run(job, cancellationToken)
                : Draft(job.StudyInstanceUid);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>Collects outcomes and lets a test wait for a number of them.</summary>
public sealed class OutcomeRecorder : IJobOutcomeObserver
{
    private readonly ConcurrentQueue<JobOutcome> _outcomes = new();

    public IReadOnlyList<JobOutcome> Outcomes => _outcomes.ToList();

    public void OnAttemptFinished(JobOutcome outcome) => _outcomes.Enqueue(outcome);

    public async Task WaitForAsync(int count, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (_outcomes.Count < count) await Task.Delay(20, timeout.Token);
    }
}
