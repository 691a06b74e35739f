using Hl7.Fhir.Model;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Intake;
using LlavaRad.Worker.Audit;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>What the resolve stage asks the EHR.</summary>
public interface IStudyLookup
{
    /// <summary>Reads the ImagingStudy (and its order and endpoint) the event named.</summary>
    Task<StudyIntake> ReadAsync(string imagingStudyReference, CancellationToken cancellationToken);

    /// <summary>The ImagingStudy carrying this StudyInstanceUID, or null when the EHR does not know the study.</summary>
    Task<StudyIntake?> FindAsync(string studyInstanceUid, CancellationToken cancellationToken);
}

/// <summary>The EHR side of resolving a study: an ImagingStudy by reference, or by its StudyInstanceUID. Audited.</summary>
public sealed class FhirStudyLookup(ImagingStudyReader reader, FhirStore store, AuditRecorder audit, Microsoft.Extensions.Options.IOptions<FhirStoreOptions> fhir)
    : IStudyLookup
{
    private const string DicomUidSystem = "urn:dicom:uid";
    private string Server => fhir.Value.BaseUrl?.AbsoluteUri ?? "";

    /// <summary>Reads the ImagingStudy (and its order and endpoint) the event named.</summary>
    public async Task<StudyIntake> ReadAsync(string imagingStudyReference, CancellationToken cancellationToken)
    {
        try
        {
            return await audit.TrackAsync(AuditActions.Read, "read", imagingStudyReference, null, Server,
                () => reader.ReadAsync(imagingStudyReference, cancellationToken), Code, cancellationToken);
        }
        catch (FhirStoreException e)
        {
            throw FailureOutcomes.From(e);
        }
    }

    /// <summary>The ImagingStudy carrying this StudyInstanceUID, or null when the EHR does not know the study.</summary>
    public async Task<StudyIntake?> FindAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        try
        {
            var found = await audit.TrackAsync(AuditActions.Execute, "search", $"urn:oid:{studyInstanceUid}", null, Server,
                () => store.SearchByIdentifierAsync<ImagingStudy>(DicomUidSystem, $"urn:oid:{studyInstanceUid}", cancellationToken),
                Code, cancellationToken);
            if (found.Count == 0) return null;
            var study = found.OrderByDescending(s => s.Meta?.LastUpdated).First();
            return await audit.TrackAsync(AuditActions.Read, "read", $"ImagingStudy/{study.Id}", null, Server,
                () => reader.ResolveAsync(study, cancellationToken), Code, cancellationToken);
        }
        catch (FhirStoreException e)
        {
            throw FailureOutcomes.From(e);
        }
    }

    private static string Code(Exception e) => e is FhirStoreException f ? f.Code : PipelineReasons.Unexpected;
}
