namespace LlavaRad.Fhir.Auth;

public enum FhirAuthMode { None, Bearer, Basic, SmartBackendServices }

/// <summary>How the worker authenticates to the EHR's FHIR endpoint (bound from "Fhir:Auth"). Secrets come from a secret store, never logs.</summary>
public sealed class FhirAuthOptions
{
    public FhirAuthMode Mode { get; set; } = FhirAuthMode.None;
    public string? BearerToken { get; set; }
    public string? BasicUser { get; set; }
    public string? BasicPassword { get; set; }
    public SmartBackendServicesOptions Smart { get; set; } = new();
}

/// <summary>SMART Backend Services: client_credentials with a private_key_jwt client assertion.</summary>
public sealed class SmartBackendServicesOptions
{
    /// <summary>Null: discovered from {FHIR base}/.well-known/smart-configuration.</summary>
    public Uri? TokenEndpoint { get; set; }
    public string ClientId { get; set; } = "";
    public string Scope { get; set; } =
        "system/DiagnosticReport.c system/Observation.c system/Provenance.c system/Device.c system/Task.cu system/ImagingStudy.rs system/ServiceRequest.rs system/Endpoint.rs";
    /// <summary>PKCS#8 or PKCS#1/SEC1 PEM of an RSA (RS384) or P-384 EC (ES384) key.</summary>
    public string PrivateKeyPem { get; set; } = "";
    /// <summary>The kid of the registered public key in the JWKS.</summary>
    public string? KeyId { get; set; }
    /// <summary>RS384 or ES384.</summary>
    public string Algorithm { get; set; } = "RS384";
    /// <summary>A cached token is replaced this long before it expires.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);
}
