namespace LlavaRad.Review.Drafts;

/// <summary>
/// The drafts awaiting or past review, with the exact 8-bit frontal image the model saw. The worker adds an entry
/// after each write-back; the review app reads entries and records decisions.
/// </summary>
public interface IReviewArchive
{
    /// <summary>Stores the entry and its frontal image (PNG); a second add of the same id keeps the first.</summary>
    Task AddAsync(ReviewEntry entry, byte[] frontalPng, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReviewEntry>> ListAsync(CancellationToken cancellationToken = default);

    Task<ReviewEntry?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The PNG the model saw, or null for an unknown id.</summary>
    Task<byte[]?> ReadFrontalAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the entry's state if it still is <paramref name="expected"/>; false when it changed meanwhile.</summary>
    Task<bool> TransitionAsync(string id, ReviewStatus expected, ReviewState next, CancellationToken cancellationToken = default);
}
