namespace LlavaRad.Fhir.Intake;

/// <summary>"This ImagingStudy is new or changed": what intake hands to the worker's job queue.</summary>
/// <param name="ImagingStudy">"ImagingStudy/id".</param>
/// <param name="VersionId">meta.versionId when the source knew it (full-resource payloads, searches).</param>
/// <param name="Source">rest-hook, backport, recovery or poll: for metrics and troubleshooting.</param>
public sealed record StudyEvent(string ImagingStudy, string? VersionId, string Source);

/// <summary>The worker's durable job queue as intake sees it. Enqueueing the same study twice must be harmless.</summary>
public interface IStudyEventQueue
{
    ValueTask EnqueueAsync(StudyEvent studyEvent, CancellationToken cancellationToken);
}
