using LlavaRad.Contracts;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Worker.Options;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// The DICOMweb servers this worker may read, each with its own credentials: <c>DicomWeb:BaseUrl</c> (with the
/// DicomWeb credentials), every <c>DicomWeb:AllowedBases</c> entry, and the DICOMweb URL of an enabled Orthanc or
/// QIDO source (with that source's credentials). An address found in data, or the SR sink's STOW-RS URL, is used
/// only through <see cref="Match"/> and <see cref="ClientOptionsFor"/>.
/// </summary>
public sealed class DicomWebAllowlist(IOptions<DicomWebClientOptions> dicomWeb, IOptions<StudySourcesOptions> sources)
{
    private readonly Lazy<IReadOnlyList<DicomWebBase>> _bases = new(() => Build(dicomWeb.Value, sources.Value));

    public IReadOnlyList<DicomWebBase> Bases => _bases.Value;

    /// <summary>The first configured base that covers the address, or null: then nothing may be fetched from it.</summary>
    public DicomWebBase? Match(Uri address) => Bases.FirstOrDefault(b => b.Covers(address));

    /// <summary>The DicomWeb client settings, with the credentials of <paramref name="allowed"/> alone and scoped to it.</summary>
    public DicomWebClientOptions ClientOptionsFor(DicomWebBase allowed)
    {
        var o = dicomWeb.Value;
        return new DicomWebClientOptions
        {
            RequestTimeout = o.RequestTimeout, MaxRetries = o.MaxRetries, RetryBaseDelay = o.RetryBaseDelay, MaxPartBytes = o.MaxPartBytes,
            Retrieval = o.Retrieval, TranscodeFallback = o.TranscodeFallback, RenderedFallback = o.RenderedFallback,
            Username = allowed.Credentials.Username, Password = allowed.Credentials.Password, BearerToken = allowed.Credentials.BearerToken,
            CredentialScope = allowed.Url,
        };
    }

    private static IReadOnlyList<DicomWebBase> Build(DicomWebClientOptions dicomWeb, StudySourcesOptions sources)
    {
        var bases = new List<DicomWebBase>();
        void Add(string? url, DicomWebCredentials credentials)
        {
            if (UrlScope.Normalize(url) is { } normal && bases.All(b => b.Url != normal)) bases.Add(new DicomWebBase(normal, credentials));
        }
        Add(dicomWeb.BaseUrl, new DicomWebCredentials(dicomWeb.Username, dicomWeb.Password, dicomWeb.BearerToken));
        foreach (var entry in dicomWeb.AllowedBases) Add(entry.Url, new DicomWebCredentials(entry.Username, entry.Password, entry.BearerToken));
        if (sources.Orthanc.Enabled) Add(sources.Orthanc.DicomWebUrl, new DicomWebCredentials(sources.Orthanc.Username, sources.Orthanc.Password));
        if (sources.Qido.Enabled) Add(sources.Qido.Url, new DicomWebCredentials(sources.Qido.Username, sources.Qido.Password));
        return bases;
    }
}
