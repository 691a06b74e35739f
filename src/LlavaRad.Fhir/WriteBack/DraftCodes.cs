using Hl7.Fhir.Model;

namespace LlavaRad.Fhir.WriteBack;

/// <summary>The codes an AI chest X-ray draft carries (integration-anchors 2.1–2.3, 2.11).</summary>
internal static class DraftCodes
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string DicomUid = "urn:dicom:uid";

    public static Coding AiAsserted() =>
        new("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "AIAST", "Artificial Intelligence asserted");

    public static List<CodeableConcept> RadiologyCategory() =>
    [
        new(Loinc, "LP29684-5", "Radiology"),
        new("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology"),
    ];

    /// <summary>Used when the order carries no code.</summary>
    public static CodeableConcept ChestXRay() => new(Loinc, "36643-5", "XR Chest 2 Views");

    public static CodeableConcept ImagingObservationCategory() =>
        new("http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging");

    // SNOMED CT qualifier values for how sure the labeler is that the finding is there.
    public static CodeableConcept Certainty(FindingCertainty certainty) => certainty switch
    {
        FindingCertainty.Positive => new(Snomed, "52101004", "Present"),
        _ => new(Snomed, "60022001", "Possible diagnosis"),
    };

    public static CodeableConcept CreateActivity() =>
        new("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create");

    public static CodeableConcept AgentType(string code) =>
        new("http://terminology.hl7.org/CodeSystem/provenance-participant-type", code);

    /// <summary>FHIR task-code "approve": the radiologist approves (or rejects) the focal draft report.</summary>
    public static CodeableConcept ReviewTaskCode() =>
        new("http://hl7.org/fhir/CodeSystem/task-code", "approve", "Activate/approve the focal resource", "Review AI draft chest X-ray report");

    /// <summary>Our own business-status codes, so worklists can filter on a code rather than on text.</summary>
    public const string TaskBusinessStatus = "urn:llavarad:task-business-status";

    public static CodeableConcept AwaitingReview() =>
        new(TaskBusinessStatus, "awaiting-review", "AI draft awaiting radiologist review", "AI draft awaiting radiologist review");

    public static CodeableConcept Superseded() =>
        new(TaskBusinessStatus, "superseded", "Superseded by a newer AI draft", "Superseded by a newer AI draft");

    public static RequestPriority Priority(WorklistUrgency urgency) => urgency switch
    {
        WorklistUrgency.Stat => RequestPriority.Stat,
        WorklistUrgency.Urgent => RequestPriority.Urgent,
        _ => RequestPriority.Routine,
    };
}
