using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// What a draft says about its patient and order when it only has the DICOM image (no EHR ImagingStudy, or an
/// ImagingStudy without an order code): a conditional Patient reference by identifier with its system, and the
/// Requested Procedure Code Sequence as the report code.
/// </summary>
public static class DicomStudyReferences
{
    private const uint IssuerOfPatientId = 0x00100021;
    private const uint IssuerOfPatientIdQualifiersSequence = 0x00100024;
    private const uint CodeMeaning = 0x00080104;
    private const uint UniversalEntityId = 0x00400032;
    private const uint UniversalEntityIdType = 0x00400033;

    /// <summary>DICOM coding scheme designators as FHIR code systems (PS3.16 Table 8-1); others are not passed on.</summary>
    private static readonly Dictionary<string, string> CodeSystems = new(StringComparer.Ordinal)
    {
        ["LN"] = "http://loinc.org",
        ["SCT"] = "http://snomed.info/sct",
        ["RADLEX"] = "http://radlex.org",
        ["DCM"] = "http://dicom.nema.org/resources/ontology/DCM",
    };

    /// <summary>
    /// "Patient?identifier=system|value". The system is the image's Issuer of Patient ID: an ISO OID from its
    /// qualifiers, a URI as written, a name through <see cref="PipelineOptions.PatientIssuerSystems"/> (else
    /// <see cref="PipelineOptions.PatientIssuerSystemBase"/> + name, never the site's own domain, which could
    /// name another patient); without an issuer, the site's <see cref="PipelineOptions.SitePatientIdSystem"/>.
    /// </summary>
    /// <exception cref="StudyPipelineException"><c>no-patient-id</c>: the image has no PatientID to reference.</exception>
    public static string Patient(IDicomAttributes? image, string? patientId, PipelineOptions options)
    {
        if (string.IsNullOrWhiteSpace(patientId))
            throw StudyPipelineException.Final(PipelineReasons.NoPatientId,
                "The study has no PatientID (0010,0020): a draft cannot be linked to a patient");
        var system = image is null ? options.SitePatientIdSystem : IssuerSystem(image, options);
        return $"Patient?identifier={Uri.EscapeDataString(system)}|{Uri.EscapeDataString(patientId)}";
    }

    /// <summary>The first Requested Procedure Code with a known scheme, its meaning as display; null when there is none.</summary>
    public static CodedConcept? OrderCode(IDicomAttributes? image) =>
        image?.GetSequence(DicomTag.RequestedProcedureCodeSequence)
            .Select(item => (Code: item.GetString(DicomTag.CodeValue), Scheme: item.GetString(DicomTag.CodingSchemeDesignator),
                Meaning: item.GetString(CodeMeaning)))
            .Where(c => c.Code is not null && c.Scheme is not null && CodeSystems.ContainsKey(c.Scheme))
            .Select(c => new CodedConcept(CodeSystems[c.Scheme!], c.Code!, c.Meaning ?? c.Code!))
            .FirstOrDefault();

    private static string IssuerSystem(IDicomAttributes image, PipelineOptions options)
    {
        var qualifier = image.GetSequence(IssuerOfPatientIdQualifiersSequence).FirstOrDefault();
        if (qualifier?.GetString(UniversalEntityIdType) == "ISO" && qualifier.GetString(UniversalEntityId) is { } oid)
            return $"urn:oid:{oid}";
        var issuer = image.GetString(IssuerOfPatientId);
        if (issuer is null) return options.SitePatientIdSystem;
        if (options.PatientIssuerSystems.TryGetValue(issuer, out var mapped)) return mapped;
        if (Uri.TryCreate(issuer, UriKind.Absolute, out _) && issuer.Contains(':', StringComparison.Ordinal)) return issuer;
        return options.PatientIssuerSystemBase + Uri.EscapeDataString(issuer);
    }
}
