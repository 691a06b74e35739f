namespace LlavaRad.Fhir.Http;

/// <summary>Retries of FHIR calls (bound from "Fhir:Retry").</summary>
public sealed class FhirRetryOptions
{
    /// <summary>Tries in all, the first included.</summary>
    public int MaxAttempts { get; set; } = 4;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A single try that takes longer than this is abandoned and counts as a timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
