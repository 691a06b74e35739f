using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Fhir;
using LlavaRad.Review.Drafts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlavaRad.Review.SignOff;

/// <summary>
/// Finds final reports the RIS or EHR wrote for a draft's study outside this app (polling by the order, basedOn;
/// the test FHIR server has no Subscriptions): the draft becomes superseded and the (draft, final) pair is kept
/// for agreement. Our own finals carry <see cref="ReviewCodes.FinalReportSystem"/> and are skipped.
/// </summary>
public sealed class ExternalFinalReports(IReviewArchive archive, FhirStore store, TimeProvider clock, ILogger<ExternalFinalReports> logger)
{
    /// <summary>One pass over the open drafts; returns how many were superseded.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var superseded = 0;
        foreach (var entry in await archive.ListAsync(cancellationToken))
        {
            if (entry.State.Status.IsClosed() || entry.Draft.Study.ServiceRequest is not { } order) continue;
            var finals = await store.SearchAsync<DiagnosticReport>(new SearchParams().Add("based-on", order).Add("status", "final"), cancellationToken);
            var external = finals.FirstOrDefault(r => !r.Identifier.Any(i => i.System == ReviewCodes.FinalReportSystem));
            if (external is null) continue;
            if (await archive.TransitionAsync(entry.Id, entry.State.Status, new ReviewState(ReviewStatus.Superseded, clock.GetUtcNow(),
                    Reason: "final-report-elsewhere", FinalText: TextOf(external), FinalReference: $"DiagnosticReport/{external.Id}"), cancellationToken))
                superseded++;
        }
        if (superseded > 0) logger.LogInformation("{Count} draft(s) superseded by final reports written elsewhere", superseded);
        return superseded;
    }

    /// <summary>The final's text: its plain-text presentedForm, else its conclusion.</summary>
    private static string TextOf(DiagnosticReport report) =>
        report.PresentedForm.FirstOrDefault(a => a.ContentType?.StartsWith("text/plain", StringComparison.Ordinal) == true && a.Data is not null)
            is { } text ? Encoding.UTF8.GetString(text.Data!) : report.Conclusion ?? "";
}

/// <summary>Runs <see cref="ExternalFinalReports"/> every Review:FinalReportPoll; a failed pass is logged with its code and retried next time.</summary>
public sealed class ExternalFinalReportPoller(ExternalFinalReports finals, IOptions<ReviewOptions> options, TimeProvider clock,
    ILogger<ExternalFinalReportPoller> logger) : BackgroundService
{
    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FinalReportPoll, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await finals.PollOnceAsync(stoppingToken);
            }
            catch (FhirStoreException e)
            {
                logger.LogWarning("{Code}: polling for final reports failed; next pass in {Interval}", e.Code, options.Value.FinalReportPoll);
            }
        }
    }
}
