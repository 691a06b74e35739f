using LlavaRad.Fhir.WriteBack;
using LlavaRad.Hl7v2;
using LlavaRad.Imaging;
using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Sinks;

/// <summary>The site sinks as the pipeline sees them: which are configured, and one delivery to one of them.</summary>
public interface ISiteSinks
{
    /// <summary>The configured sinks (<see cref="SinkNames.SrStow"/>, <see cref="SinkNames.Hl7Mllp"/>), in delivery order.</summary>
    IReadOnlyList<string> Configured { get; }

    /// <summary>Delivers the draft to one sink, or throws <see cref="StudyPipelineException"/> with its coded reason.</summary>
    Task DeliverAsync(string sink, DraftReportRequest draft, IDicomAttributes source, CancellationToken cancellationToken);
}

/// <summary>
/// The site's PACS and RIS sinks, in any combination with FHIR: the SR by STOW-RS into the source study, the ORU^R01
/// over MLLP (<see cref="DraftSrStowSink"/> stores the SR). Both are idempotent per draft (derived SOP Instance UID,
/// stable MSH-10). A transport failure is transient (the job store retries the sink, not the inference); an AE/AR
/// answer is final, with the receiver's text.
/// </summary>
public sealed class SiteExportSinks(IOptions<ExportOptions> options, IOptions<WriteBackOptions> writeBack, DraftSrStowSink srStow,
    ILogger<SiteExportSinks> logger) : ISiteSinks
{
    public const string Hl7Rejected = "hl7-rejected";
    public const string Hl7Undelivered = "hl7-undelivered";

    public IReadOnlyList<string> Configured =>
    [
        .. options.Value.StowUrl.Length > 0 ? [SinkNames.SrStow] : Array.Empty<string>(),
        .. options.Value.Mllp.Host.Length > 0 ? [SinkNames.Hl7Mllp] : Array.Empty<string>(),
    ];

    public Task DeliverAsync(string sink, DraftReportRequest draft, IDicomAttributes source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = new DraftKeys(draft, writeBack.Value).Key;
        return sink switch
        {
            SinkNames.SrStow => srStow.StoreAsync(draft, key, source, cancellationToken),
            // Version 1 on every attempt: MSH-10 derives from the draft key and version, so a receiver drops a resend.
            SinkNames.Hl7Mllp => SendOruAsync(settings.Mllp, DraftExportMapper.RenderOru(draft, key, source, settings, version: 1), cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(sink), sink, "not a site sink"),
        };
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
