using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Audit;

/// <summary>
/// What the pipeline calls around each read or write of patient data. An audit that cannot be written is logged
/// with a code (and counted) but never fails, delays by more than its own timeout, or loses the job.
/// </summary>
public sealed class AuditRecorder(IAuditTrail trail, TimeProvider clock, ILogger<AuditRecorder> logger)
{
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);
    private long _failures;

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Runs <paramref name="call"/> and records its outcome, success or coded failure; rethrows the call's exception.</summary>
    public async Task<T> TrackAsync<T>(string action, string subtype, string entity, string? patient, string server,
        Func<Task<T>> call, Func<Exception, string> failureCode, CancellationToken cancellationToken)
    {
        try
        {
            var result = await call();
            await RecordAsync(new AuditRecord(action, subtype, entity, patient, server, clock.GetUtcNow(), null), cancellationToken);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordAsync(new AuditRecord(action, subtype, entity, patient, server, clock.GetUtcNow(), failureCode(e)), cancellationToken);
            throw;
        }
    }

    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(WriteTimeout);
            await trail.WriteAsync(record, timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            AuditLog.NotStored(logger, PipelineReasons.AuditWriteFailed, record.Subtype, e.GetType().Name);
        }
    }
}
