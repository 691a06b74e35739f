namespace LlavaRad.Worker.Jobs;

public sealed partial class SqlJobStore
{
    /// <summary>
    /// Puts a finished job back in the queue with a fresh attempt count, if it is still in state
    /// <paramref name="from"/>: dead-lettered after its cause was fixed, or rejected (e.g. a file that was still being
    /// written) once the operator names the study again. False when the job is in any other state. The sinks that
    /// did not deliver are tried again (a rejected one too: the operator has fixed its cause); delivered ones are not.
    /// </summary>
    public async Task<bool> RequeueAsync(long jobId, JobState from, CancellationToken cancellationToken = default)
    {
        if (from is not (JobState.DeadLettered or JobState.Rejected))
            throw new ArgumentOutOfRangeException(nameof(from), from, "only a dead-lettered or rejected job is re-queued");
        var requeued = await ExecuteAsync("""
            UPDATE jobs SET state = 'queued', attempts = 0, next_attempt_at = NULL, lease_owner = NULL,
                            lease_expires_at = NULL, updated_at = @now
            WHERE id = @id AND state = @from
            """, cancellationToken, ("now", Now()), ("id", jobId), ("from", from.ToText())) == 1;
        if (requeued)
            await ExecuteAsync("DELETE FROM job_sinks WHERE job_id = @id AND state <> 'delivered'", cancellationToken, ("id", jobId));
        return requeued;
    }
}
