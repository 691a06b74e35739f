using Hl7.Fhir.Model;

namespace LlavaRad.Review.SignOff;

/// <summary>The codes the review's writes carry (FHIR workflow: Task status, business status, Provenance roles).</summary>
public static class ReviewCodes
{
    public const string TaskBusinessStatus = "urn:llavarad:task-business-status";
    public const string RejectReasonSystem = "urn:llavarad:review-reject-reason";
    public const string FinalReportSystem = "urn:llavarad:review-final";

    /// <summary>Why a radiologist rejects a draft; the form offers exactly these.</summary>
    public static IReadOnlyDictionary<string, string> RejectReasons { get; } = new Dictionary<string, string>
    {
        ["clinically-incorrect"] = "Findings are clinically incorrect",
        ["image-quality"] = "Image not diagnostic",
        ["wrong-study"] = "Draft belongs to another study or view",
        ["incomplete"] = "Draft misses significant findings",
        ["other"] = "Other reason",
    };

    public static CodeableConcept BusinessStatus(string code, string display) => new(TaskBusinessStatus, code, display, display);

    public static CodeableConcept AgentType(string code, string? text = null) =>
        new("http://terminology.hl7.org/CodeSystem/provenance-participant-type", code) { Text = text };

    public static CodeableConcept Activity(string code, string display) =>
        new("http://terminology.hl7.org/CodeSystem/v3-DataOperation", code, display);
}
