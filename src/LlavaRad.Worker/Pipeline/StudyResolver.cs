using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// Stage 1, resolve: from the job's origin to where the images are and what the EHR knows. A FHIR origin is read
/// as is; a folder or DICOMweb origin is looked up in the EHR by StudyInstanceUID when FHIR is configured, and goes
/// on without it (the draft is then written to the local bundle folder) when not.
/// </summary>
public sealed class StudyResolver(IStudyLookup? fhir)
{
    public async Task<ResolvedStudy> ResolveAsync(Job job, CancellationToken cancellationToken)
    {
        var origin = job.Origin ?? throw StudyPipelineException.Final(PipelineReasons.OriginUnknown,
            "the job does not say where the study was seen; re-submit it from its source");
        switch (origin.Kind)
        {
            case StudyOriginKinds.Fhir:
            {
                if (fhir is null)
                    throw StudyPipelineException.Retry(PipelineReasons.FhirNotConfigured, "a FHIR-origin job but Fhir:BaseUrl is not configured");
                var intake = await fhir.ReadAsync(origin.Reference, cancellationToken);
                var dicomWeb = intake.DicomWebBase ?? throw StudyPipelineException.Final(PipelineReasons.NoDicomWebEndpoint,
                    "the ImagingStudy names no active dicom-wado-rs Endpoint");
                return new ResolvedStudy(intake.StudyInstanceUid, origin, intake, dicomWeb, null, intake.IndicationText);
            }
            case StudyOriginKinds.Folder:
            {
                if (!Directory.Exists(origin.Reference))
                    throw StudyPipelineException.Final(PipelineReasons.StudyFolderMissing, "the study folder is gone");
                var intake = fhir is null ? null : await fhir.FindAsync(job.StudyInstanceUid, cancellationToken);
                return new ResolvedStudy(job.StudyInstanceUid, origin, intake, null, origin.Reference, intake?.IndicationText);
            }
            case StudyOriginKinds.DicomWeb:
            {
                if (!Uri.TryCreate(origin.Reference, UriKind.Absolute, out var dicomWeb))
                    throw StudyPipelineException.Final(PipelineReasons.OriginUnknown, "the DICOMweb origin is not an absolute URL");
                var intake = fhir is null ? null : await fhir.FindAsync(job.StudyInstanceUid, cancellationToken);
                return new ResolvedStudy(job.StudyInstanceUid, origin, intake, dicomWeb, null, intake?.IndicationText);
            }
            default:
                throw StudyPipelineException.Final(PipelineReasons.OriginUnknown, $"unknown origin kind \"{origin.Kind}\"");
        }
    }
}
