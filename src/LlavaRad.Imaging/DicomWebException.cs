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

    public string Code { get; } = code;
    public int? HttpStatus { get; } = httpStatus;

    /// <summary>Worth trying again later: the server or the network, not the request.</summary>
    public bool IsTransient => Code is Unreachable or Timeout or ServerError;
}
