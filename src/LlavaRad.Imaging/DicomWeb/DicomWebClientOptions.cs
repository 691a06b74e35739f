namespace LlavaRad.Imaging.DicomWeb;

/// <summary>How <see cref="DicomWebClient"/> talks to one DICOMweb server (bound from configuration by the worker).</summary>
public sealed class DicomWebClientOptions
{
    /// <summary>
    /// The site's PACS (DICOMweb root). Its credentials are the ones below. FHIR Endpoints that name another address are
    /// refused unless <see cref="AllowedBases"/> lists it.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Further DICOMweb servers the worker may read, each with its own credentials.</summary>
    public List<DicomWebBaseOptions> AllowedBases { get; set; } = [];

    /// <summary>
    /// The base the credentials belong to: they go on no request outside it. Null binds them to the HttpClient's
    /// BaseAddress.
    /// </summary>
    public Uri? CredentialScope { get; set; }

    /// <summary>Basic authentication (Orthanc RegisteredUsers); ignored when <see cref="BearerToken"/> is set.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>An OAuth2 access token sent as "Authorization: Bearer".</summary>
    public string? BearerToken { get; set; }

    /// <summary>Per attempt, headers and body together.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of reads on 5xx, 429, timeouts and refused connections; writes are not retried.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff; doubles per retry, with jitter, capped at 30 s (or the server's Retry-After).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// What an instance is asked for. <see cref="InstanceRetrieval.StoredSyntax"/> (default): the stored syntax
    /// (transfer-syntax=*), decoded here; it costs the PACS no CPU, sends the fewest bytes and does not depend on the
    /// server's transcoder (Orthanc without GDCM cannot transcode JPEG 2000). <see cref="InstanceRetrieval.ServerTranscoding"/>:
    /// Explicit VR Little Endian first, the stored syntax when the server cannot transcode.
    /// </summary>
    public InstanceRetrieval Retrieval { get; set; } = InstanceRetrieval.StoredSyntax;

    /// <summary>When the pixels cannot be decoded here (a syntax or codec we lack): ask the server to transcode.</summary>
    public bool TranscodeFallback { get; set; } = true;

    /// <summary>When neither works: the server's /rendered PNG, windowed with the file's first window.</summary>
    public bool RenderedFallback { get; set; } = true;

    /// <summary>Largest single multipart part (one DICOM instance) accepted; larger parts are refused, not buffered.</summary>
    public long MaxPartBytes { get; set; } = 1L << 30;
}

/// <summary>See <see cref="DicomWebClientOptions.Retrieval"/>.</summary>
public enum InstanceRetrieval
{
    StoredSyntax,
    ServerTranscoding,
}
