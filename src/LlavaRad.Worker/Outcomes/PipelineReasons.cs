using LlavaRad.Imaging;
using LlavaRad.Imaging.Selection;

namespace LlavaRad.Worker.Outcomes;

/// <summary>
/// Every coded outcome a job can end with, in one place. Image selection, DICOM reading, DICOMweb and FHIR codes
/// come from their libraries (<see cref="SelectionReasons"/>, <see cref="DicomReadException"/>,
/// <see cref="DicomWebException"/>, <see cref="LlavaRad.Fhir.FhirStoreException"/>); the worker's own are here.
/// Whether a code is retried is decided in <see cref="FailureOutcomes"/>.
/// </summary>
public static class PipelineReasons
{
    public const string Drafted = "drafted";

    // Final: the study cannot be drafted as it is; an operator or the modality must act.
    public const string NoFrontalView = SelectionReasons.NoFrontalView;
    public const string UnsupportedModality = SelectionReasons.UnsupportedModality;
    public const string NotChest = SelectionReasons.NotChest;
    public const string NoImages = SelectionReasons.NoImages;
    public const string CorruptDicom = "corrupt-dicom";
    public const string StudyFolderMissing = "study-folder-missing";
    /// <summary>A file of a folder study is a symbolic link out of the watched folder; nothing was read.</summary>
    public const string FolderSymlinkRefused = "folder-symlink-refused";
    public const string OriginUnknown = "origin-unknown";
    /// <summary>A study without a PatientID (and no EHR ImagingStudy naming the patient): a draft could not be linked to anyone.</summary>
    public const string NoPatientId = "no-patient-id";
    public const string NoDicomWebEndpoint = "no-dicomweb-endpoint";
    /// <summary>The ImagingStudy's Endpoint names a DICOMweb address that no configured base covers; nothing was fetched.</summary>
    public const string DicomWebEndpointNotAllowed = "dicomweb-endpoint-not-allowed";
    public const string InferenceRequestRejected = "inference-request-rejected";

    // Transient: retried with backoff, then dead-lettered with this code.
    public const string InferenceNodeUnavailable = "inference-node-unavailable";
    public const string InferenceNodeDeadline = "inference-node-deadline";
    public const string InferenceNodeBusy = "inference-node-busy";
    public const string InferenceNodeError = "inference-node-error";
    public const string LocalWriteFailed = "local-write-failed";
    /// <summary>A FHIR-origin job on a worker without Fhir:BaseUrl; configure it and the retries pick the job up.</summary>
    public const string FhirNotConfigured = "fhir-not-configured";
    public const string Unexpected = "unexpected-error";

    /// <summary>Written when an audit record could not be stored; the job goes on.</summary>
    public const string AuditWriteFailed = "audit-write-failed";
}
