using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Telemetry;

namespace LlavaRad.Worker.Pipeline;

/// <summary>Outcomes by coded reason, and time to draft (enqueue to written draft), from every finished attempt.</summary>
public sealed class JobOutcomeMetrics(WorkerMetrics metrics, TimeProvider clock) : IJobOutcomeObserver
{
    public void OnAttemptFinished(JobOutcome outcome)
    {
        metrics.RecordOutcome(outcome.State, outcome.Draft is null ? outcome.Code : null);
        if (outcome.Draft is not null)
            metrics.RecordTimeToDraft(clock.GetUtcNow() - outcome.Job.EnqueuedAt, outcome.Job.Priority);
    }
}
