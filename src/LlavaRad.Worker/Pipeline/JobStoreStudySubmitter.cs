using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// <see cref="IStudySubmitter"/> onto the job store: the job key is StudyInstanceUID + the configured model id and
/// pipeline version, and the origin travels with the job so the pipeline can resolve the study.
/// </summary>
public sealed class JobStoreStudySubmitter(IJobStore store, IOptions<PipelineOptions> options, ILogger<JobStoreStudySubmitter> logger)
    : IStudySubmitter
{
    public async Task SubmitAsync(StudySubmission submission, CancellationToken cancellationToken)
    {
        var request = new JobRequest(submission.StudyInstanceUid, options.Value.ModelId, options.Value.PipelineVersion,
            submission.Priority, submission.Origin);
        var (job, created) = await store.EnqueueAsync(request, cancellationToken);
        // The job id, not the StudyInstanceUID: UIDs identify a patient's study.
        logger.LogInformation("{Source}: study {Outcome} as job {JobId} ({Priority})",
            submission.SourceName, created ? "queued" : "already known", job.Id, job.Priority);
    }
}
