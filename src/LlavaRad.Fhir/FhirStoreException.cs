namespace LlavaRad.Fhir;

/// <summary>
/// A FHIR call that failed, with a coded reason an operator can act on. Messages name the interaction and the
/// HTTP status only: never patient names, identifiers or report text.
/// </summary>
public sealed class FhirStoreException(string code, string message, int? httpStatus = null, Exception? inner = null)
    : Exception(message, inner)
{
    public const string Unreachable = "fhir-unreachable";
    public const string Timeout = "fhir-timeout";
    public const string Rejected = "fhir-rejected";
    public const string Unauthorized = "fhir-unauthorized";
    public const string NotFound = "fhir-not-found";
    /// <summary>409, or 412 from If-Match: someone else changed the resource; re-read before writing again.</summary>
    public const string Conflict = "fhir-conflict";
    /// <summary>412 from a conditional create or update: the identifier matches several resources.</summary>
    public const string MultipleMatches = "fhir-multiple-matches";
    public const string RateLimited = "fhir-rate-limited";
    public const string ServerError = "fhir-server-error";
    /// <summary>The EHR holds data we cannot use (e.g. an ImagingStudy without a StudyInstanceUID or subject).</summary>
    public const string IncompleteResource = "fhir-incomplete-resource";
    /// <summary>The token endpoint refused our client credentials or answered something unusable.</summary>
    public const string TokenRequestFailed = "fhir-token-request-failed";
    /// <summary>An address taken from data (reference, next link, token endpoint) is not under a configured base; nothing was sent.</summary>
    public const string UrlNotAllowed = "fhir-url-not-allowed";

    public string Code { get; } = code;
    public int? HttpStatus { get; } = httpStatus;
}
