namespace LlavaRad.Fhir.Intake;

/// <summary>The ImagingStudy poll, the safety net under notifications (bound from "Fhir:Polling").</summary>
public sealed class PollingOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Each window starts this far before the cursor: catches writes committed late or with skewed clocks.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How far back the very first poll looks.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);
    public int PageSize { get; set; } = 100;
    /// <summary>Extra search parameters, e.g. "modality=http://dicom.nema.org/resources/ontology/DCM|DX".</summary>
    public string? Filter { get; set; }
}
