namespace LlavaRad.Fhir;

/// <summary>Where the EHR's FHIR R4 endpoint is (bound from "Fhir").</summary>
public sealed class FhirStoreOptions
{
    /// <summary>The FHIR base, e.g. https://ehr.example.org/fhir/R4/.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// Further FHIR bases that references found in data may be read from (without the FHIR credentials, which belong
    /// to <see cref="BaseUrl"/>). Empty by default: only the configured base.
    /// </summary>
    public List<string> AllowedBases { get; set; } = [];
}
