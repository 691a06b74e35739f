using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Png;

namespace LlavaRad.Review.Drafts;

/// <summary>Adds a freshly written draft to the archive: the one way the worker (and tests) put drafts under review.</summary>
public static class ReviewEntries
{
    public static async Task<ReviewEntry> AddDraftAsync(this IReviewArchive archive, DraftReportRequest draft, WriteBackOptions writeBack,
        Gray8Image frontal, string studyDescription, string urgencyRule, string draftReference, AttentionGrid? heatmap,
        CancellationToken cancellationToken = default)
    {
        var entry = new ReviewEntry(ReviewEntry.IdFor(draft, writeBack), draft, studyDescription, urgencyRule, draftReference,
            draft.Issued, heatmap, new ReviewState(ReviewStatus.AwaitingReview, draft.Issued));
        await archive.AddAsync(entry, PngGrayEncoder.Encode(frontal), cancellationToken);
        return entry;
    }
}
