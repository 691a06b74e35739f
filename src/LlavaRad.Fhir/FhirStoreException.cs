namespace LlavaRad.Fhir;

/// <summary>A FHIR call that failed, with a coded reason an operator can act on.</summary>
public sealed class FhirStoreException(string code, string message, int? httpStatus = null, Exception? inner = null)
    : Exception(message, inner)
{
    public const string Unreachable = "fhir-unreachable";
    public const string Rejected = "fhir-rejected";
    public const string Unauthorized = "fhir-unauthorized";
    public const string ServerError = "fhir-server-error";

    public string Code { get; } = code;
    public int? HttpStatus { get; } = httpStatus;
}
