namespace LlavaRad.Findings.Urgency;

/// <summary>Worklist urgency, ascending; the words are FHIR request-priority codes (Task.priority).</summary>
public enum UrgencyLevel
{
    Routine,
    Urgent,
    Stat,
}

public static class UrgencyLevelCodes
{
    /// <summary>"routine", "urgent" or "stat" (http://hl7.org/fhir/request-priority).</summary>
    public static string FhirCode(this UrgencyLevel level) => level.ToString().ToLowerInvariant();
}
