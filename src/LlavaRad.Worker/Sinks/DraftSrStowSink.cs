using LlavaRad.Contracts;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Sr;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Pipeline;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sinks;

/// <summary>
/// Stores the draft's SR into its source study by STOW-RS. The STOW URL goes through the same allowlist as retrieval:
/// it must lie under a configured DICOMweb base, and only that base's credentials go with it. Before storing, a
/// QIDO search of the study's AI-draft series (its UID is derived from the study, so only ours matches) finds the
/// SRs already there: this draft's own instance means it is stored already; otherwise the newest one is this
/// version's predecessor. The PACS is the record of what was stored, so no other state is kept.
/// </summary>
public sealed class DraftSrStowSink(IOptions<ExportOptions> options, DicomWebAllowlist allowlist, IHttpClientFactory httpClients,
    ILogger<DraftSrStowSink> logger)
{
    public const string HttpClientName = "exports-stow";
    public const string SrStoreFailed = "sr-store-failed";
    private const string InstanceNumberTag = "00200013";

    public async Task StoreAsync(DraftReportRequest draft, string draftKey, IDicomAttributes source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var stowUrl = new Uri(settings.StowUrl);
        if (allowlist.Match(stowUrl) is not { } allowed || UrlScope.Normalize(stowUrl.AbsoluteUri) is not { } baseAddress)
            throw StudyPipelineException.Final(PipelineReasons.DicomWebEndpointNotAllowed,
                $"Exports:StowUrl (host {stowUrl.Host}) is not under a configured DICOMweb base (DicomWeb:BaseUrl or DicomWeb:AllowedBases); nothing sent");
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = baseAddress;
        var client = new DicomWebClient(http, allowlist.ClientOptionsFor(allowed));
        try
        {
            var studyUid = SourceFacts.Study(source).StudyInstanceUid;
            var stored = await StoredDraftsAsync(client, studyUid, cancellationToken);
            if (stored.Any(s => s.Instance.SopInstanceUid == DraftSrWriter.InstanceUid(studyUid, draftKey)))
            {
                logger.LogInformation("sink sr-stow: this draft's SR is already in the study; not stored again");
                return;
            }
            var last = stored.MaxBy(s => s.Number);
            var version = (last?.Number ?? 0) + 1;
            var sr = DraftSrWriter.Write(DraftExportMapper.ToSr(draft, draftKey, source, settings, version, last?.Instance));
            var result = await client.StoreAsync([sr.Part10], cancellationToken);
            if (result.Failures.Count > 0)
                throw StudyPipelineException.Final(SrStoreFailed, $"the PACS refused the SR (reason {result.Failures[0].Reason})");
            logger.LogInformation("sink sr-stow: stored draft SR version {Version}", version);
        }
        catch (DicomWebException e)
        {
            throw StudyPipelineException.Retry(SrStoreFailed, $"STOW-RS of the SR failed: {e.Code}", e);
        }
    }

    /// <summary>Our SRs already in the study, with their Instance Numbers (the draft version each was written as).</summary>
    private static async Task<IReadOnlyList<StoredDraft>> StoredDraftsAsync(DicomWebClient client, string studyUid,
        CancellationToken cancellationToken)
    {
        var seriesUid = DraftSrWriter.SeriesUid(studyUid);
        var found = await client.SearchInstancesAsync(studyUid, new Dictionary<string, string>
        {
            ["SeriesInstanceUID"] = seriesUid,
            ["includefield"] = InstanceNumberTag,
        }, cancellationToken);
        return [.. found
            .Where(i => i.GetString(DicomTag.SeriesInstanceUid) is null || i.GetString(DicomTag.SeriesInstanceUid) == seriesUid)
            .Where(i => i.GetString(DicomTag.SopInstanceUid) is { Length: > 0 })
            .Select(i => new StoredDraft(new SrInstance(seriesUid, i.GetString(DicomTag.SopClassUid) ?? DraftSrWriter.ComprehensiveSrSopClass,
                i.GetString(DicomTag.SopInstanceUid)!), i.GetInt(DicomTag.InstanceNumber) ?? 0))];
    }

    private sealed record StoredDraft(SrInstance Instance, int Number);
}
