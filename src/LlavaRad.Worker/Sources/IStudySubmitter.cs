using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Sources;

/// <summary>Where a study was seen, so the pipeline can resolve it: enough to find it again, never patient data.</summary>
/// <param name="Kind">One of <see cref="StudyOriginKinds"/>.</param>
/// <param name="Reference">"ImagingStudy/id" for FHIR, the DICOMweb base URL for DICOMweb, the folder path for folders.</param>
public sealed record StudyOrigin(string Kind, string Reference);

public static class StudyOriginKinds
{
    public const string Fhir = "fhir";
    public const string DicomWeb = "dicomweb";
    public const string Folder = "folder";
}

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
