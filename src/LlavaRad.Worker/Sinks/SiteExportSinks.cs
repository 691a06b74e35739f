using LlavaRad.Fhir.WriteBack;
using LlavaRad.Hl7v2;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Sinks;

/// <summary>
/// The site's PACS and RIS sinks, in any combination with FHIR: the SR by STOW-RS into the source study, the ORU^R01
/// over MLLP. Both are idempotent per draft version (derived SOP Instance UID, stable MSH-10). A transport failure
/// is transient (the job store retries the job); an AE/AR answer is final, with the receiver's text.
/// </summary>
public sealed class SiteExportSinks(IOptions<ExportOptions> options, IOptions<WriteBackOptions> writeBack, IHttpClientFactory httpClients,
    WorkerMetrics metrics, ILogger<SiteExportSinks> logger)
{
    public const string HttpClientName = "exports-stow";
    public const string Hl7Rejected = "hl7-rejected";
    public const string Hl7Undelivered = "hl7-undelivered";
    public const string SrStoreFailed = "sr-store-failed";

    public bool Enabled => options.Value.StowUrl.Length > 0 || options.Value.Mllp.Host.Length > 0;

    public async Task SendAsync(DraftReportRequest draft, IDicomAttributes source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (sr, oru) = DraftExportMapper.Render(draft, new DraftKeys(draft, writeBack.Value).Key, source, settings, version: 1);
        if (settings.StowUrl.Length > 0) await MeasuredAsync("sr-stow", () => StoreSrAsync(settings.StowUrl, sr.Part10, cancellationToken));
        if (settings.Mllp.Host.Length > 0) await MeasuredAsync("hl7-mllp", () => SendOruAsync(settings.Mllp, oru, cancellationToken));
    }

    private async Task MeasuredAsync(string sink, Func<Task> deliver)
    {
        try
        {
            await deliver();
            metrics.RecordSinkOutcome(sink, "delivered", "none");
        }
        catch (StudyPipelineException e)
        {
            metrics.RecordSinkOutcome(sink, e.Outcome.Transient ? "retrying" : "rejected", e.Outcome.Code);
            throw;
        }
    }

    private async Task StoreSrAsync(string stowUrl, byte[] part10, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(stowUrl.EndsWith('/') ? stowUrl : stowUrl + "/");
        try
        {
            var result = await new DicomWebClient(http, new DicomWebClientOptions()).StoreAsync([part10], cancellationToken);
            if (result.Failures.Count > 0)
                throw StudyPipelineException.Final(SrStoreFailed, $"the PACS refused the SR (reason {result.Failures[0].Reason})");
        }
        catch (DicomWebException e)
        {
            throw StudyPipelineException.Retry(SrStoreFailed, $"STOW-RS of the SR failed: {e.Code}", e);
        }
    }

    private async Task SendOruAsync(MllpSenderOptions mllp, string oru, CancellationToken cancellationToken)
    {
        AckResult ack;
        try
        {
            ack = await new MllpSender(mllp).SendAsync(oru, cancellationToken);
        }
        catch (MllpException e)
        {
            throw StudyPipelineException.Retry(Hl7Undelivered, $"ORU^R01 not acknowledged: {e.Code}", e);
        }
        if (!ack.Accepted)
            throw StudyPipelineException.Final(Hl7Rejected, $"the RIS answered {ack.Code}: {ack.Text ?? "(no text)"}");
        logger.LogInformation("sink hl7-mllp: acknowledged {Code}", ack.Code);
    }
}
