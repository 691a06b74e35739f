namespace LlavaRad.Worker.Audit;

/// <summary>Where AuditEvents go. Implementations may throw; <see cref="AuditRecorder"/> makes sure that never fails a job.</summary>
public interface IAuditTrail
{
    Task WriteAsync(AuditRecord record, CancellationToken cancellationToken);
}
