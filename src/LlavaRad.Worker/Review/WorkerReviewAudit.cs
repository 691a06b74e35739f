using LlavaRad.Review.Audit;
using LlavaRad.Worker.Audit;

namespace LlavaRad.Worker.Review;

/// <summary>The review app's actions in the worker's audit trail, beside its own reads and writes, with the reviewer as a user agent.</summary>
public sealed class WorkerReviewAudit(AuditRecorder audit) : IReviewAudit
{
    public Task RecordAsync(ReviewAuditRecord record, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(record.Action, record.Subtype == "view" ? "read" : "transaction", record.Entity, record.Patient,
            "review", record.At, record.FailureCode, record.Reviewer), cancellationToken);
}
