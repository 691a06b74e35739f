using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Sources;

/// <summary>What a source hands over once a study is stable.</summary>
public sealed record StudySubmission(string StudyInstanceUid, JobPriority Priority, StudyOrigin Origin, string SourceName);

/// <summary>
/// The one door from every source into the job store. Submitting a study that already has a job is harmless (the
/// job key is StudyInstanceUID + model + pipeline version); a higher priority raises the existing job's.
/// </summary>
public interface IStudySubmitter
{
    Task SubmitAsync(StudySubmission submission, CancellationToken cancellationToken);
}
