
namespace LlavaRad.Worker.Jobs;

/// <summary>
/// One study to draft. <see cref="Key"/> makes it unique: StudyInstanceUID + model id + pipeline version, so the
/// same study from several sources, or seen twice, is one job.
/// </summary>
public sealed record Job(
    long Id,
    string Key,
    string StudyInstanceUid,
    JobPriority Priority,
    JobState State,
    int Attempts,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? NextAttemptAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    string? LastError,
    StudyOrigin? Origin = null);

/// <summary>What a source asks for. <see cref="Origin"/> tells the pipeline where to resolve the study.</summary>
public sealed record JobRequest(string StudyInstanceUid, string ModelId, string PipelineVersion, JobPriority Priority,
    StudyOrigin? Origin = null)
{
    public string Key => $"{StudyInstanceUid}|{ModelId}|{PipelineVersion}";
}
