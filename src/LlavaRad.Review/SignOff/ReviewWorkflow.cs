using LlavaRad.Review.Agreement;
using LlavaRad.Review.Audit;
using LlavaRad.Review.Drafts;

namespace LlavaRad.Review.SignOff;

/// <summary>
/// The radiologist's actions on a draft, each one FHIR transaction then one archive transition, each audited:
/// open (awaiting review -> in review; Task in-progress), sign (final report; Task completed) and reject (draft
/// cancelled; Task cancelled with the coded reason).
/// </summary>
public sealed class ReviewWorkflow(IReviewArchive archive, IDraftRecords records, IReviewAudit audit, ReviewMetrics metrics, TimeProvider clock)
{
    public async Task<ReviewEntry> OpenAsync(string id, Reviewer reviewer, CancellationToken cancellationToken)
    {
        var entry = await FindAsync(id, cancellationToken);
        await RecordAsync("R", "view", entry, reviewer, null, cancellationToken);
        if (entry.State.Status != ReviewStatus.AwaitingReview) return entry;
        await TrackAsync("U", "open", entry, reviewer, async () =>
        {
            var draft = await records.LoadAsync(entry, cancellationToken);
            if (draft.Task.Status == Hl7.Fhir.Model.Task.TaskStatus.Requested)
                await records.SubmitAsync(entry, "opened", ReviewBundleBuilder.Open(draft, reviewer), cancellationToken);
            await archive.TransitionAsync(id, ReviewStatus.AwaitingReview,
                new ReviewState(ReviewStatus.InReview, clock.GetUtcNow(), reviewer.Id), cancellationToken);
            return 0;
        }, cancellationToken);
        return await FindAsync(id, cancellationToken);
    }

    public async Task<ReviewEntry> SignAsync(string id, string finalText, Reviewer reviewer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(finalText))
            throw new ReviewException("final-text-empty", "the final report text is empty", 400);
        var entry = await OpenAsync(id, reviewer, cancellationToken);
        EnsureOpen(entry);
        var at = clock.GetUtcNow();
        var final = await TrackAsync("C", "sign", entry, reviewer, async () =>
        {
            var draft = await records.LoadAsync(entry, cancellationToken);
            return await records.SubmitAsync(entry, "final", ReviewBundleBuilder.Sign(draft, id, finalText.Trim(), reviewer, at), cancellationToken);
        }, cancellationToken);
        await archive.TransitionAsync(id, ReviewStatus.InReview,
            new ReviewState(ReviewStatus.Signed, at, reviewer.Id, FinalText: finalText.Trim(), FinalReference: final), cancellationToken);
        metrics.Signed(AgreementReport.Compute([new ReviewPair(id, entry.Draft.FindingsText, finalText.Trim(), entry.ArrivedAt, at)]).Pairs[0]);
        return await FindAsync(id, cancellationToken);
    }

    public async Task<ReviewEntry> RejectAsync(string id, string? reasonCode, Reviewer reviewer, CancellationToken cancellationToken)
    {
        if (reasonCode is null || !ReviewCodes.RejectReasons.ContainsKey(reasonCode))
            throw new ReviewException("reject-reason-required", "a rejection needs one of the listed reasons", 400);
        var entry = await OpenAsync(id, reviewer, cancellationToken);
        EnsureOpen(entry);
        await TrackAsync("U", "reject", entry, reviewer, async () =>
        {
            var draft = await records.LoadAsync(entry, cancellationToken);
            return await records.SubmitAsync(entry, "rejected", ReviewBundleBuilder.Reject(draft, reasonCode, reviewer), cancellationToken);
        }, cancellationToken);
        await archive.TransitionAsync(id, ReviewStatus.InReview,
            new ReviewState(ReviewStatus.Rejected, clock.GetUtcNow(), reviewer.Id, Reason: reasonCode), cancellationToken);
        metrics.Rejected();
        return await FindAsync(id, cancellationToken);
    }

    private async Task<ReviewEntry> FindAsync(string id, CancellationToken cancellationToken) =>
        await archive.FindAsync(id, cancellationToken) ?? throw new ReviewException("draft-not-found", "no draft with this id", 404);

    private static void EnsureOpen(ReviewEntry entry)
    {
        if (entry.State.Status != ReviewStatus.InReview)
            throw new ReviewException("draft-already-closed", $"the draft is {entry.State.Status.ToText()} already");
    }

    private async Task<T> TrackAsync<T>(string action, string subtype, ReviewEntry entry, Reviewer reviewer, Func<Task<T>> call,
        CancellationToken cancellationToken)
    {
        try
        {
            var result = await call();
            await RecordAsync(action, subtype, entry, reviewer, null, cancellationToken);
            return result;
        }
        catch (ReviewException e)
        {
            await RecordAsync(action, subtype, entry, reviewer, e.Code, cancellationToken);
            throw;
        }
    }

    private Task RecordAsync(string action, string subtype, ReviewEntry entry, Reviewer reviewer, string? failure, CancellationToken cancellationToken) =>
        audit.RecordAsync(new ReviewAuditRecord(action, subtype, entry.DraftReference, entry.Draft.Study.Patient, reviewer.Id,
            clock.GetUtcNow(), failure), cancellationToken);
}
