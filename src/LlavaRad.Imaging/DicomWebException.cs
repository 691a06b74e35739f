namespace LlavaRad.Imaging;

/// <summary>A DICOMweb call that failed, with a coded reason an operator can act on.</summary>
public sealed class DicomWebException(string code, string message, int? httpStatus = null, Exception? inner = null)
    : Exception(message, inner)
{
    public const string Unreachable = "dicomweb-unreachable";
    public const string Timeout = "dicomweb-timeout";
    public const string HttpError = "dicomweb-http-error";
    public const string ServerError = "dicomweb-server-error";
    public const string Unauthorized = "dicomweb-unauthorized";
    public const string NotFound = "dicomweb-not-found";
    public const string NotAcceptable = "dicomweb-not-acceptable";
    public const string BadResponse = "dicomweb-bad-response";
    public const string StoreRejected = "dicomweb-store-rejected";
    public const string PartTooLarge = "dicomweb-part-too-large";
    /// <summary>The server answered with a redirect; it is not followed (it could lead, with credentials, to another host).</summary>
    public const string RedirectRefused = "dicomweb-redirect-refused";
    /// <summary>The host resolved to a loopback, link-local or cloud-metadata address that no base names literally.</summary>
    public const string AddressRefused = "dicomweb-address-refused";

    public string Code { get; } = code;
    public int? HttpStatus { get; } = httpStatus;
}
