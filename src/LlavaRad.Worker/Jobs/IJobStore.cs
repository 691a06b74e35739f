namespace LlavaRad.Worker.Jobs;

/// <summary>
/// Durable jobs. Every state change after a claim names the lease owner: a worker whose lease expired (and whose
/// job another worker took) gets <see cref="LeaseLostException"/> instead of overwriting the newer attempt.
/// </summary>
public interface IJobStore
{
    /// <summary>Creates the job, or returns the existing one with that key (raising its priority if asked higher).</summary>
    Task<(Job Job, bool Created)> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Leases the most urgent due job (priority with aging), or a job whose lease expired; null if none.</summary>
    Task<Job?> ClaimNextAsync(string workerId, CancellationToken cancellationToken = default);

    Task HeartbeatAsync(Job job, CancellationToken cancellationToken = default);

    /// <summary>
    /// A graceful stop interrupted the attempt: the job goes back to the queue at once, the attempt not counted, so a
    /// restart (or another worker) takes it without waiting for the lease to run out. A lost lease is not an error here.
    /// </summary>
    Task ReleaseAsync(Job job, CancellationToken cancellationToken = default);

    Task SucceedAsync(Job job, CancellationToken cancellationToken = default);

    /// <summary>Final: the study cannot be drafted (e.g. no-frontal-view). Not retried.</summary>
    Task RejectAsync(Job job, string reasonCode, CancellationToken cancellationToken = default);

    /// <summary>Transient failure: retried with backoff, or dead-lettered after the last attempt. Returns the new state.</summary>
    Task<JobState> FailAsync(Job job, string error, CancellationToken cancellationToken = default);

    /// <summary>Puts a dead-lettered job back in the queue with a fresh attempt count (operator replay).</summary>
    Task<bool> ReplayAsync(long jobId, CancellationToken cancellationToken = default);

    Task<Job?> FindAsync(string key, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken = default);

    /// <summary>The findings stored for the job after its inference, or null when none are (first attempt, or cleared).</summary>
    Task<JobFindings?> FindFindingsAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Stores the job's findings once; returns those stored (an earlier attempt's, if it stored first).</summary>
    Task<JobFindings> SaveFindingsAsync(long jobId, JobFindings findings, CancellationToken cancellationToken = default);

    /// <summary>Each sink's delivery of the job's draft so far, in delivery order.</summary>
    Task<IReadOnlyList<SinkDelivery>> SinkDeliveriesAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Records one delivery attempt's outcome; a sink already delivered stays delivered.</summary>
    /// <param name="reason">The coded reason of a failure; null when delivered.</param>
    /// <param name="location">Where the draft went (FHIR reference or file), for the primary sink.</param>
    Task RecordSinkAsync(long jobId, string sink, SinkState state, string? reason, string? location = null,
        CancellationToken cancellationToken = default);
}

public sealed class LeaseLostException(long jobId)
    : Exception($"job {jobId}: lease lost (expired and taken by another worker, or already finished)")
{
    public long JobId { get; } = jobId;
}
