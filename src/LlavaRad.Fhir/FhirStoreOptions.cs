namespace LlavaRad.Fhir;

/// <summary>Where the EHR's FHIR R4 endpoint is (bound from "Fhir").</summary>
public sealed class FhirStoreOptions
{
    /// <summary>The FHIR base, e.g. https://ehr.example.org/fhir/R4/.</summary>
    public Uri? BaseUrl { get; set; }
}
