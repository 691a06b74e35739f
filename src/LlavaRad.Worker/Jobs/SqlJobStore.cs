using System.Data.Common;

namespace LlavaRad.Worker.Jobs;

/// <summary><see cref="IJobStore"/> in SQL shared by SQLite and PostgreSQL; <see cref="SqlDialect"/> holds the differences.</summary>
public sealed partial class SqlJobStore(SqlDialect dialect, JobStoreOptions options, TimeProvider clock) : IJobStore
{
    private const string Columns =
        "id, job_key, study_instance_uid, priority, state, attempts, enqueued_at, next_attempt_at, lease_owner, lease_expires_at, last_error, origin_kind, origin_reference";

    public Task MigrateAsync(CancellationToken cancellationToken = default) => JobStoreSchema.MigrateAsync(dialect, cancellationToken);

    public async Task<(Job Job, bool Created)> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var orderKey = now - (long)request.Priority * (long)options.PriorityStep.TotalMilliseconds;
        var inserted = await ExecuteAsync("""
            INSERT INTO jobs (job_key, study_instance_uid, priority, state, attempts, enqueued_at, order_key, updated_at,
                              origin_kind, origin_reference)
            VALUES (@key, @study, @priority, 'queued', 0, @now, @order, @now, @kind, @reference)
            ON CONFLICT (job_key) DO NOTHING
            """, cancellationToken, ("key", request.Key), ("study", request.StudyInstanceUid),
            ("priority", (int)request.Priority), ("now", now), ("order", orderKey),
            ("kind", request.Origin?.Kind), ("reference", request.Origin?.Reference));
        if (inserted == 0)
        {
            // A waiting job keeps its place in time but may move up a priority level.
            await ExecuteAsync("""
                UPDATE jobs SET priority = @priority, order_key = enqueued_at - @priority * @step, updated_at = @now
                WHERE job_key = @key AND priority < @priority AND state IN ('queued', 'retrying')
                """, cancellationToken, ("key", request.Key), ("priority", (int)request.Priority),
                ("step", (long)options.PriorityStep.TotalMilliseconds), ("now", now));
            if (request.Origin is { } origin)
            {
                // A FHIR origin knows the patient and the order, so it replaces a DICOM-only one on a waiting job.
                await ExecuteAsync("""
                    UPDATE jobs SET origin_kind = @kind, origin_reference = @reference, updated_at = @now
                    WHERE job_key = @key AND state IN ('queued', 'retrying')
                      AND (origin_kind IS NULL OR (@kind = 'fhir' AND origin_kind <> 'fhir'))
                    """, cancellationToken, ("key", request.Key), ("kind", origin.Kind), ("reference", origin.Reference), ("now", now));
            }
        }
        var job = await FindAsync(request.Key, cancellationToken) ?? throw new InvalidOperationException("enqueued job vanished");
        return (job, inserted == 1);
    }

    public async Task<Job?> ClaimNextAsync(string workerId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var now = Now();
            var claimed = await QuerySingleAsync($"""
                UPDATE jobs SET state = 'running', lease_owner = @owner, lease_expires_at = @expires,
                                attempts = attempts + 1, updated_at = @now
                WHERE id = (SELECT id FROM jobs
                            WHERE (state IN ('queued', 'retrying') AND (next_attempt_at IS NULL OR next_attempt_at <= @now))
                               OR (state = 'running' AND lease_expires_at <= @now)
                            ORDER BY order_key, id
                            LIMIT 1 {dialect.ClaimLockClause})
                RETURNING {Columns}
                """, cancellationToken, ("owner", workerId), ("expires", now + LeaseMilliseconds), ("now", now));
            if (claimed is null || claimed.Attempts <= options.MaxAttempts) return claimed;

            // Attempts ran out while leased: workers died on it repeatedly, so it is poison. Park it and look again.
            await FinishAsync(claimed, JobState.DeadLettered, "attempts-exhausted: lease expired on the last attempt", null, cancellationToken);
        }
    }

    public async Task HeartbeatAsync(Job job, CancellationToken cancellationToken = default) =>
        await RequireLeaseAsync(job, await ExecuteAsync(
            "UPDATE jobs SET lease_expires_at = @expires, updated_at = @now WHERE id = @id AND lease_owner = @owner AND state = 'running'",
            cancellationToken, ("expires", Now() + LeaseMilliseconds), ("now", Now()), ("id", job.Id), ("owner", job.LeaseOwner)));

    public Task ReleaseAsync(Job job, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            UPDATE jobs SET state = 'queued', attempts = attempts - 1, next_attempt_at = NULL,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND state = 'running'
            """, cancellationToken, ("now", Now()), ("id", job.Id), ("owner", job.LeaseOwner));

    public Task SucceedAsync(Job job, CancellationToken cancellationToken = default) =>
        FinishAsync(job, JobState.Succeeded, null, null, cancellationToken);

    public Task RejectAsync(Job job, string reasonCode, CancellationToken cancellationToken = default) =>
        FinishAsync(job, JobState.Rejected, reasonCode, null, cancellationToken);

    public async Task<JobState> FailAsync(Job job, string error, CancellationToken cancellationToken = default)
    {
        if (job.Attempts >= options.MaxAttempts)
        {
            await FinishAsync(job, JobState.DeadLettered, error, null, cancellationToken);
            return JobState.DeadLettered;
        }
        await FinishAsync(job, JobState.Retrying, error, Now() + RetryDelayMilliseconds(job.Attempts), cancellationToken);
        return JobState.Retrying;
    }

    public Task<bool> ReplayAsync(long jobId, CancellationToken cancellationToken = default) =>
        RequeueAsync(jobId, JobState.DeadLettered, cancellationToken);

    public Task<Job?> FindAsync(string key, CancellationToken cancellationToken = default) =>
        QuerySingleAsync($"SELECT {Columns} FROM jobs WHERE job_key = @key", cancellationToken, ("key", key));

    public async Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        var counts = Enum.GetValues<JobState>().ToDictionary(s => s, _ => 0);
        await using var connection = await dialect.OpenConnection(cancellationToken);
        await using var command = SqlCommands.Create(connection, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            counts[JobStateNames.Parse(reader.GetString(0))] = Convert.ToInt32(reader.GetValue(1));
        return counts;
    }

    private async Task FinishAsync(Job job, JobState state, string? error, long? nextAttemptAt, CancellationToken cancellationToken)
    {
        await RequireLeaseAsync(job, await ExecuteAsync("""
            UPDATE jobs SET state = @state, last_error = @error, next_attempt_at = @next,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND state = 'running'
            """, cancellationToken, ("state", state.ToText()), ("error", error), ("next", nextAttemptAt),
            ("now", Now()), ("id", job.Id), ("owner", job.LeaseOwner)));
        await ForgetFindingsAsync(job.Id, state, cancellationToken);
    }

    private static Task RequireLeaseAsync(Job job, int updatedRows) =>
        updatedRows == 1 ? Task.CompletedTask : throw new LeaseLostException(job.Id);

    private long RetryDelayMilliseconds(int attempts)
    {
        var delay = options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        return (long)Math.Min(delay, options.MaxRetryDelay.TotalMilliseconds);
    }

    private long LeaseMilliseconds => (long)options.Lease.TotalMilliseconds;

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        SqlCommands.ExecuteAsync(dialect, sql, cancellationToken, parameters);

    private Task<Job?> QuerySingleAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        SqlCommands.QuerySingleAsync(dialect, sql, ReadJob, cancellationToken, parameters);

    private static Job ReadJob(DbDataReader r)
    {
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(i)));
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new Job(
            Id: Convert.ToInt64(r.GetValue(0)),
            Key: r.GetString(1),
            StudyInstanceUid: r.GetString(2),
            Priority: (JobPriority)Convert.ToInt32(r.GetValue(3)),
            State: JobStateNames.Parse(r.GetString(4)),
            Attempts: Convert.ToInt32(r.GetValue(5)),
            EnqueuedAt: Time(6)!.Value,
            NextAttemptAt: Time(7),
            LeaseOwner: Text(8),
            LeaseExpiresAt: Time(9),
            LastError: Text(10),
            Origin: Text(11) is { } kind ? new StudyOrigin(kind, Text(12) ?? "") : null);
    }
}
