using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;

namespace LlavaRad.Bench.Worker;

/// <summary>
/// Told by the job runner about every finished attempt: completes when the expected number of jobs reached a final
/// state, so the clock stops at the last write-back rather than at the next poll of the job store.
/// </summary>
public sealed class CompletionCounter : IJobOutcomeObserver
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<int>? _done;
    private int _expected, _finished, _failed;
    private string? _firstError;

    /// <summary>Starts counting; the task yields how many of the jobs did not succeed.</summary>
    public Task<int> Expect(int jobs)
    {
        lock (_gate)
        {
            (_expected, _finished, _failed, _firstError) = (jobs, 0, 0, null);
            _done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _done.Task;
        }
    }

    public string? FirstError { get { lock (_gate) return _firstError; } }

    public void OnAttemptFinished(JobOutcome outcome)
    {
        lock (_gate)
        {
            if (outcome.State is not (JobState.Succeeded or JobState.Rejected or JobState.DeadLettered))
            {
                // A retry was scheduled: the job comes back after its backoff; note why.
                _firstError ??= outcome.Code;
                return;
            }
            if (outcome.State != JobState.Succeeded)
            {
                _failed++;
                _firstError ??= $"{outcome.Code} ({outcome.State})";
            }
            else if (outcome.Draft is not { Target: "fhir", Draft.Created: true })
            {
                // The comparison is only fair if the worker wrote a new draft to the FHIR server, as the baseline does.
                _failed++;
                _firstError ??= $"drafted to {outcome.Draft?.Target}, created={outcome.Draft?.Draft.Created}";
            }
            if (++_finished == _expected) _done?.TrySetResult(_failed);
        }
    }
}
