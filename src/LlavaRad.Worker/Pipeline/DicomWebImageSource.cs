using LlavaRad.Contracts;
using System.Globalization;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Worker.Audit;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>Select, fetch and convert over DICOMweb (WADO-RS metadata, instance, /rendered fallback). Audited as one retrieval.</summary>
public sealed class DicomWebImageSource(IHttpClientFactory http, DicomWebAllowlist allowlist,
    IDicomImageReader reader, AuditRecorder audit, TimeProvider clock) : IFrontalImageSource
{
    public const string HttpClientName = "dicomweb";

    public async Task<FrontalImage> GetAsync(ResolvedStudy study, CancellationToken cancellationToken)
    {
        var address = study.DicomWebBase ?? throw new InvalidOperationException("not a DICOMweb study");
        // The address may come from a FHIR Endpoint anyone with write access to the EHR can change: only a configured
        // base is read, with that base's own credentials, and a refusal is audited with the host alone.
        if (allowlist.Match(address) is not { } allowed || UrlScope.Normalize(address.AbsoluteUri) is not { } baseAddress)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.Read, "wado-rs-retrieve", $"urn:oid:{study.StudyInstanceUid}",
                study.Fhir?.Patient, address.IsAbsoluteUri ? address.GetLeftPart(UriPartial.Authority) : "?", clock.GetUtcNow(),
                PipelineReasons.DicomWebEndpointNotAllowed), cancellationToken);
            throw StudyPipelineException.Final(PipelineReasons.DicomWebEndpointNotAllowed,
                $"the study's DICOMweb address (host {address.Host}) is not a configured base (DicomWeb:BaseUrl or DicomWeb:AllowedBases)");
        }
        var client = http.CreateClient(HttpClientName);
        client.BaseAddress = baseAddress;
        var fetcher = new FrontalImageFetcher(new DicomWebClient(client, allowlist.ClientOptionsFor(allowed)), reader, GrayscaleProfile.MimicCxrJpg);

        var result = await fetcher.FetchAsync(study.StudyInstanceUid, cancellationToken);
        await audit.RecordAsync(new AuditRecord(AuditActions.Read, "wado-rs-retrieve", $"urn:oid:{study.StudyInstanceUid}",
            study.Fhir?.Patient, client.BaseAddress.AbsoluteUri, clock.GetUtcNow(),
            result.Image is null && !IsSelectionReason(result.Outcome) ? result.Outcome : null), cancellationToken);

        if (result.Image is null || result.Selection?.Selected is not { } chosen)
            throw new StudyPipelineException(FailureOutcomes.FromDicomWeb(result.Outcome, $"DICOMweb: {result.Outcome}"));
        var description = string.Create(CultureInfo.InvariantCulture,
            $"series {chosen.GetInt(DicomTag.SeriesNumber)?.ToString(CultureInfo.InvariantCulture) ?? "?"} instance {chosen.GetInt(DicomTag.InstanceNumber)?.ToString(CultureInfo.InvariantCulture) ?? "?"} ({chosen.GetString(DicomTag.ViewPosition) ?? "?"})");
        return new FrontalImage(result.Image, result.Selection.SelectedSopInstanceUid ?? "", description,
            FrontalImage.StudyStart(chosen), chosen.GetString(DicomTag.PatientId), result.Steps, chosen);
    }

    // A retrieval that worked but found no usable image is a successful read for the audit.
    private static bool IsSelectionReason(string outcome) => outcome is PipelineReasons.NoFrontalView or PipelineReasons.NotChest
        or PipelineReasons.NoImages or PipelineReasons.UnsupportedModality;
}
