namespace LlavaRad.Fhir.WriteBack;

/// <summary>Site settings for what the write-back puts into the EHR (bound from configuration "Fhir:WriteBack").</summary>
public sealed class WriteBackOptions
{
    /// <summary>Namespace of the business identifiers we mint; the site's own URI in production.</summary>
    public string IdentifierSystemBase { get; set; } = "urn:llavarad:sid";

    /// <summary>The organization operating the AI service (Provenance agent, Device owner), by identifier.</summary>
    public string OperatorSystem { get; set; } = "urn:llavarad:operator";
    public string OperatorValue { get; set; } = "radiology-ai";
    public string OperatorName { get; set; } = "Radiology AI service";

    /// <summary>Claim the US Core DiagnosticReport Note profile in meta.profile (only where the EHR is US Core).</summary>
    public bool DeclareUsCoreProfile { get; set; }

    /// <summary>Who should pick the review Task up (Task.performerType); SNOMED CT 66862007 "Radiologist" unless the site routes otherwise.</summary>
    public string ReviewerRoleSystem { get; set; } = "http://snomed.info/sct";
    public string ReviewerRoleCode { get; set; } = "66862007";
    public string ReviewerRoleDisplay { get; set; } = "Radiologist";

    /// <summary>Optional Task.owner, a reference such as "PractitionerRole/reading-room-1"; unset leaves the Task to the worklist.</summary>
    public string? ReviewOwner { get; set; }

    /// <summary>
    /// Keep the findings Observations contained in the report instead of standalone (searchable) resources, for
    /// servers that limit a transaction's size: then a draft is 4 entries plus 2 per superseded draft.
    /// </summary>
    public bool ContainFindings { get; set; }

    /// <summary>Language of the generated text (Attachment.language).</summary>
    public string Language { get; set; } = "en";
}
