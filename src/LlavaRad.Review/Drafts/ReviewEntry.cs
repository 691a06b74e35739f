using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Review.Drafts;

/// <summary>Where a draft is in review. Text forms are the worklist's data-status values.</summary>
public enum ReviewStatus { AwaitingReview, InReview, Signed, Rejected, Superseded }

public static class ReviewStatusNames
{
    public static string ToText(this ReviewStatus status) => status switch
    {
        ReviewStatus.AwaitingReview => "awaiting-review",
        ReviewStatus.InReview => "in-review",
        ReviewStatus.Signed => "signed",
        ReviewStatus.Rejected => "rejected",
        ReviewStatus.Superseded => "superseded",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static ReviewStatus? Parse(string? text) =>
        Enum.GetValues<ReviewStatus>().Cast<ReviewStatus?>().FirstOrDefault(s => s!.Value.ToText() == text);

    /// <summary>Signed, rejected and superseded drafts need no more work.</summary>
    public static bool IsClosed(this ReviewStatus status) => status is ReviewStatus.Signed or ReviewStatus.Rejected or ReviewStatus.Superseded;
}

/// <summary>
/// One AI draft as the review app keeps it: the write-back request (references, text, model, findings, urgency),
/// what the worklist shows, where the draft was written, and the review's state. <see cref="Id"/> is opaque (a
/// prefix of the draft's idempotency hash), so URLs carry no UID.
/// </summary>
/// <param name="DraftReference">"DiagnosticReport/id" on the FHIR server, or the local bundle's file path.</param>
/// <param name="HeatmapGrid">Optional attention grid (row-major, rows x columns), null when the node sent none.</param>
public sealed record ReviewEntry(
    string Id,
    DraftReportRequest Draft,
    string StudyDescription,
    string UrgencyRule,
    string DraftReference,
    DateTimeOffset ArrivedAt,
    AttentionGrid? HeatmapGrid,
    ReviewState State)
{
    public static string IdFor(DraftReportRequest draft, WriteBackOptions options) => new DraftKeys(draft, options).Key[..24];
}

/// <summary>The review's outcome so far.</summary>
/// <param name="Reason">The coded reason of a rejection (kebab-case), or why it was superseded.</param>
public sealed record ReviewState(
    ReviewStatus Status,
    DateTimeOffset ChangedAt,
    string? Reviewer = null,
    string? Reason = null,
    string? FinalText = null,
    string? FinalReference = null);

/// <summary>How strongly the generated text attended to each image patch; values sum to 1.</summary>
public sealed record AttentionGrid(int Rows, int Columns, IReadOnlyList<float> Values);
