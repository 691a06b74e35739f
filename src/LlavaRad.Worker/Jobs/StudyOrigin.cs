namespace LlavaRad.Worker.Jobs;

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
