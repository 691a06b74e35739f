using LlavaRad.Contracts;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Worker.Options;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// The DICOMweb servers this worker may read, each with its own credentials: <c>DicomWeb:BaseUrl</c> (with the
/// DicomWeb credentials), every <c>DicomWeb:AllowedBases</c> entry, and the DICOMweb URL of an enabled Orthanc or
/// QIDO source (with that source's credentials). An address found in data is used only through <see cref="Match"/>.
/// </summary>
public sealed class DicomWebAllowlist(IOptions<DicomWebClientOptions> dicomWeb, IOptions<StudySourcesOptions> sources)
{
    private readonly Lazy<IReadOnlyList<DicomWebBase>> _bases = new(() => Build(dicomWeb.Value, sources.Value));

    public IReadOnlyList<DicomWebBase> Bases => _bases.Value;

    /// <summary>The first configured base that covers the address, or null: then nothing may be fetched from it.</summary>
    public DicomWebBase? Match(Uri address) => Bases.FirstOrDefault(b => b.Covers(address));

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
