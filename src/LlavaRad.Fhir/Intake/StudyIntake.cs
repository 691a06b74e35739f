using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Fhir.Intake;

/// <summary>An ImagingStudy and its order as the pipeline needs them. References are "Type/id".</summary>
public sealed record StudyIntake(
    string ImagingStudy,
    string StudyInstanceUid,
    string Patient,
    string? Encounter,
    IReadOnlyList<string> BasedOn,
    DateTimeOffset? Started,
    Uri? DicomWebBase,
    IReadOnlyList<SeriesSummary> Series,
    OrderSummary? Order)
{
    /// <summary>The indication the model receives: from the order, else the study's own reasonCode.</summary>
    public string? IndicationText { get; init; }

    /// <summary>The write-back's view of this study once the pipeline chose the image it sent to the model.</summary>
    public StudyReferences ForDraft(string sourceImageSopInstanceUid, DateTimeOffset? acquiredFromDicom = null) => new(
        StudyInstanceUid,
        ImagingStudy,
        Patient,
        Encounter ?? Order?.Encounter,
        Order?.Reference,
        Started ?? acquiredFromDicom ?? throw new FhirStoreException(FhirStoreException.IncompleteResource,
            "ImagingStudy has no start time and none was read from DICOM"),
        Order?.Code,
        sourceImageSopInstanceUid);
}

/// <summary>A series as the EHR lists it; which image is frontal is decided from DICOM ViewPosition, not from here.</summary>
public sealed record SeriesSummary(string Uid, int? Number, string? Modality, string? BodySite, string? Description,
    IReadOnlyList<InstanceSummary> Instances);

public sealed record InstanceSummary(string SopInstanceUid, string? SopClassUid, int? Number, string? Title);

/// <summary>The ServiceRequest the study fulfils.</summary>
/// <param name="Priority">request-priority code: routine | urgent | asap | stat.</param>
public sealed record OrderSummary(string Reference, CodedConcept? Code, string? Priority, string? Encounter, string? IndicationText);
