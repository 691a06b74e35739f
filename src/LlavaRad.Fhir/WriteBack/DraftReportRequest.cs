namespace LlavaRad.Fhir.WriteBack;

/// <summary>
/// Everything the write-back needs for one AI draft. The worker maps its job, the model answer and the labeler
/// output into this; the FHIR library depends on none of them.
/// </summary>
public sealed record DraftReportRequest(
    StudyReferences Study,
    string FindingsText,
    ModelIdentity Model,
    string PipelineVersion,
    IReadOnlyList<FindingLabel> Findings,
    WorklistUrgency Urgency,
    DateTimeOffset Issued);

/// <summary>The study the draft is about, as FHIR references ("Type/id") resolved at intake.</summary>
/// <param name="StudyInstanceUid">DICOM StudyInstanceUID without the urn:oid: prefix.</param>
/// <param name="StudyStarted">When the study was acquired; becomes DiagnosticReport.effectiveDateTime.</param>
/// <param name="OrderCode">The order's procedure code; null falls back to a chest X-ray LOINC code.</param>
/// <param name="SourceImageSopInstanceUid">The image the model saw (Provenance.entity).</param>
public sealed record StudyReferences(
    string StudyInstanceUid,
    string ImagingStudy,
    string Patient,
    string? Encounter,
    string? ServiceRequest,
    DateTimeOffset StudyStarted,
    CodedConcept? OrderCode,
    string SourceImageSopInstanceUid);

/// <summary>
/// The model as the inference node reports it (GetModelInfo), with the terms its weights come with (empty for our own
/// demo model) and whether the node's operator acknowledged research-use-only terms.
/// </summary>
public sealed record ModelIdentity(string Id, string Name, string Version, string WeightsSha256, string Licence = "", bool ResearchUseAcknowledged = false);

/// <summary>A code in a code system, with the text to show.</summary>
public sealed record CodedConcept(string System, string Code, string Display);

/// <summary>One finding the labeler marked positive or uncertain (negative findings are not written).</summary>
/// <param name="Finding">The finding in the labeler's own code system: its identity (business identifiers derive from it).</param>
/// <param name="Standard">The same concept in a standard code system (SNOMED CT, RadLex, LOINC) where one has it.</param>
public sealed record FindingLabel(CodedConcept Finding, FindingCertainty Certainty, CodedConcept? Standard = null)
{
    /// <summary>The standard coding first (what searches and EHRs match on), then the labeler's own.</summary>
    public IEnumerable<CodedConcept> Codings() => Standard is null || Standard == Finding ? [Finding] : [Standard, Finding];
}

public enum FindingCertainty { Positive, Uncertain }

/// <summary>Worklist priority, the FHIR request-priority codes the draft's Task carries.</summary>
public enum WorklistUrgency { Routine, Urgent, Stat }
