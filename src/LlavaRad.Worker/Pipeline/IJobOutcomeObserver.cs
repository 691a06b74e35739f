using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>How one attempt of a job ended.</summary>
/// <param name="Code"><see cref="PipelineReasons.Drafted"/> or the coded reason.</param>
/// <param name="State">The job's state after the attempt.</param>
/// <param name="Draft">Set when the study was drafted.</param>
public sealed record JobOutcome(Job Job, string Code, JobState State, StudyDraft? Draft, TimeSpan Elapsed);

/// <summary>Told about every finished attempt (the demo prints progress from it). Must be quick and must not throw.</summary>
public interface IJobOutcomeObserver
{
    void OnAttemptFinished(JobOutcome outcome);
}
