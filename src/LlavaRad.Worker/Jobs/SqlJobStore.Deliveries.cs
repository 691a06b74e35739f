using System.Data.Common;
using System.Text.Json;
using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Worker.Jobs;

public sealed partial class SqlJobStore
{
    private const string FindingsColumns =
        "findings_text, token_logprobs, model_id, model_name, model_version, weights_sha256, model_licence, research_use_acknowledged, generated_at";

    public Task<JobFindings?> FindFindingsAsync(long jobId, CancellationToken cancellationToken = default) =>
        SqlCommands.QuerySingleAsync(dialect, $"SELECT {FindingsColumns} FROM job_findings WHERE job_id = @id", ReadFindings,
            cancellationToken, ("id", jobId));

    public async Task<JobFindings> SaveFindingsAsync(long jobId, JobFindings findings, CancellationToken cancellationToken = default)
    {
        var model = findings.Model;
        await ExecuteAsync($"""
            INSERT INTO job_findings (job_id, {FindingsColumns})
            VALUES (@id, @text, @logprobs, @modelId, @modelName, @modelVersion, @weights, @licence, @acknowledged, @generated)
            ON CONFLICT (job_id) DO NOTHING
            """, cancellationToken, ("id", jobId), ("text", findings.Text),
            ("logprobs", JsonSerializer.Serialize(findings.TokenLogProbabilities)), ("modelId", model.Id), ("modelName", model.Name),
            ("modelVersion", model.Version), ("weights", model.WeightsSha256), ("licence", model.Licence),
            ("acknowledged", model.ResearchUseAcknowledged ? 1 : 0), ("generated", findings.GeneratedAt.ToUnixTimeMilliseconds()));
        // Read back: a worker whose lease expired mid-inference may have stored first, and every attempt must draft the same.
        return await FindFindingsAsync(jobId, cancellationToken) ?? throw new InvalidOperationException("stored findings vanished");
    }

    public async Task<IReadOnlyList<SinkDelivery>> SinkDeliveriesAsync(long jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenConnection(cancellationToken);
        await using var command = SqlCommands.Create(connection,
            $"SELECT {SinkColumns} FROM job_sinks WHERE job_id = @id", ("id", jobId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<SinkDelivery>();
        while (await reader.ReadAsync(cancellationToken)) deliveries.Add(ReadSink(reader));
        return [.. deliveries.InDeliveryOrder()];
    }

    public Task RecordSinkAsync(long jobId, string sink, SinkState state, string? reason, string? location = null,
        CancellationToken cancellationToken = default) =>
        // A sink once delivered stays delivered: a stale attempt's later failure must not send it again.
        ExecuteAsync("""
            INSERT INTO job_sinks (job_id, sink, state, reason, attempts, location, updated_at)
            VALUES (@id, @sink, @state, @reason, 1, @location, @now)
            ON CONFLICT (job_id, sink) DO UPDATE SET state = excluded.state, reason = excluded.reason,
                attempts = job_sinks.attempts + 1, location = COALESCE(excluded.location, job_sinks.location),
                updated_at = excluded.updated_at
            WHERE job_sinks.state <> 'delivered'
            """, cancellationToken, ("id", jobId), ("sink", sink), ("state", state.ToText()), ("reason", reason),
            ("location", location), ("now", Now()));

    /// <summary>
    /// A finished job's findings text is deleted, except where some sinks delivered and others did not (rejected or
    /// dead-lettered): a replay then sends those the same draft. Sink states stay.
    /// </summary>
    private Task ForgetFindingsAsync(long jobId, JobState state, CancellationToken cancellationToken) => state switch
    {
        JobState.Succeeded => ExecuteAsync("DELETE FROM job_findings WHERE job_id = @id", cancellationToken, ("id", jobId)),
        JobState.Rejected or JobState.DeadLettered => ExecuteAsync("""
            DELETE FROM job_findings WHERE job_id = @id
              AND NOT EXISTS (SELECT 1 FROM job_sinks WHERE job_id = @id AND state = 'delivered')
            """, cancellationToken, ("id", jobId)),
        _ => Task.CompletedTask,
    };

    internal const string SinkColumns = "sink, state, reason, attempts, updated_at, location";

    /// <summary>Reads <see cref="SinkColumns"/>, starting at column <paramref name="offset"/>.</summary>
    internal static SinkDelivery ReadSink(DbDataReader r, int offset = 0) => new(
        Sink: r.GetString(offset),
        State: SinkNames.ParseState(r.GetString(offset + 1)),
        Reason: r.IsDBNull(offset + 2) ? null : r.GetString(offset + 2),
        Attempts: Convert.ToInt32(r.GetValue(offset + 3)),
        UpdatedAt: DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(offset + 4))),
        Location: r.IsDBNull(offset + 5) ? null : r.GetString(offset + 5));

    private static JobFindings ReadFindings(DbDataReader r) => new(
        Text: r.GetString(0),
        TokenLogProbabilities: JsonSerializer.Deserialize<double[]>(r.GetString(1)) ?? [],
        Model: new ModelIdentity(r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
            Convert.ToInt32(r.GetValue(7)) != 0),
        GeneratedAt: DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(8))));
}
