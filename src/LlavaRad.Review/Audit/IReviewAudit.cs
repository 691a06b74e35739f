namespace LlavaRad.Review.Audit;

/// <summary>
/// One audited review action. The host maps it onto its audit trail (the worker: AuditRecorder, like every other
/// read and write of patient data); the standalone host writes JSON lines.
/// </summary>
/// <param name="Action">"R" read, "U" update, "C" create (FHIR AuditEvent.action).</param>
/// <param name="Subtype">view | open | sign | reject.</param>
/// <param name="Entity">The resource acted on ("DiagnosticReport/id", or the local bundle).</param>
/// <param name="Patient">The patient reference, for the audit store only (never logged).</param>
/// <param name="Reviewer">The reviewer's reference (never a name).</param>
/// <param name="FailureCode">Null on success, else the coded reason.</param>
public sealed record ReviewAuditRecord(string Action, string Subtype, string Entity, string? Patient, string Reviewer,
    DateTimeOffset At, string? FailureCode);

public interface IReviewAudit
{
    Task RecordAsync(ReviewAuditRecord record, CancellationToken cancellationToken);
}
