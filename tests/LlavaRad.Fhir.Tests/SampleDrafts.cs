using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Fhir.Tests;

/// <summary>Realistic write-back inputs (references as intake would resolve them).</summary>
internal static class SampleDrafts
{
    public static DraftReportRequest Request(string modelVersion = "1.0.0", IReadOnlyList<FindingLabel>? findings = null, string? serviceRequest = "ServiceRequest/order-1") => new(
        new StudyReferences(
            StudyInstanceUid: "2.25.152394193806374096162129296794172118452",
            ImagingStudy: "ImagingStudy/study-1",
            Patient: "Patient/patient-1",
            Encounter: "Encounter/encounter-1",
            ServiceRequest: serviceRequest,
            StudyStarted: new DateTimeOffset(2024, 2, 5, 14, 22, 50, TimeSpan.FromHours(1)),
            OrderCode: new CodedConcept("http://loinc.org", "36554-4", "XR Chest Single view"),
            SourceImageSopInstanceUid: "2.25.99887766554433221100"),
        FindingsText: "Mild cardiomegaly. Small left pleural effusion. No pneumothorax.",
        Model: new ModelIdentity("microsoft/llava-rad", "LLaVA-Rad", modelVersion, new string('a', 64)),
        PipelineVersion: "pipeline-1",
        Findings: findings ??
        [
            new FindingLabel(new CodedConcept("http://snomed.info/sct", "8186001", "Cardiomegaly"), FindingCertainty.Positive),
            new FindingLabel(new CodedConcept("http://snomed.info/sct", "60046008", "Pleural effusion"), FindingCertainty.Uncertain),
        ],
        Urgency: WorklistUrgency.Urgent,
        Issued: new DateTimeOffset(2024, 2, 5, 14, 30, 0, TimeSpan.Zero));
}
