using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Telemetry;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// One attempt's view of which sinks already have the job's draft: a retried job delivers only to the others, and
/// each delivery's outcome (delivered, retrying with its code, rejected with its code) is recorded in the job store.
/// A crash between a delivery and its record re-sends it on the next attempt, which every sink takes idempotently.
/// Every delivery tried also counts in llavarad.worker.sink.outcomes, with the state and code the job store records.
/// </summary>
public sealed class SinkLedger
{
    private readonly IJobStore _store;
    private readonly long _jobId;
    private readonly IReadOnlyDictionary<string, SinkDelivery> _earlier;
    private readonly WorkerMetrics _metrics;

    private SinkLedger(IJobStore store, long jobId, IReadOnlyDictionary<string, SinkDelivery> earlier, WorkerMetrics metrics) =>
        (_store, _jobId, _earlier, _metrics) = (store, jobId, earlier, metrics);

    public static async Task<SinkLedger> LoadAsync(IJobStore store, long jobId, WorkerMetrics metrics, CancellationToken cancellationToken) =>
        new(store, jobId, (await store.SinkDeliveriesAsync(jobId, cancellationToken)).ToDictionary(d => d.Sink), metrics);

    /// <summary>
    /// The FHIR, local or shadow write: what the other sinks follow, so its failure ends the attempt. Delivered on an
    /// earlier attempt, it is not written again; its recorded location stands in.
    /// </summary>
    public async Task<DraftLocation> PrimaryAsync(string sink, Func<Task<DraftLocation>> write, CancellationToken cancellationToken)
    {
        if (_earlier.TryGetValue(sink, out var done) && done.State == SinkState.Delivered)
            return new DraftLocation(done.Location ?? "", Created: false);
        var draft = await RecordedAsync(sink, write, cancellationToken);
        await _store.RecordSinkAsync(_jobId, sink, SinkState.Delivered, null, draft.Location, CancellationToken.None);
        _metrics.RecordSinkOutcome(sink, SinkState.Delivered, null);
        return draft;
    }

    /// <summary>
    /// Tries every sink not delivered yet, each on its own, so a down RIS does not hold back the PACS. Then the first
    /// transient failure retries the job; with none left, a rejection (this attempt's, or one recorded earlier) rejects it.
    /// </summary>
    public async Task DeliverAsync(IEnumerable<(string Sink, Func<Task> Deliver)> sinks, CancellationToken cancellationToken)
    {
        StudyPipelineException? transient = null, final = null;
        foreach (var (sink, deliver) in sinks)
        {
            if (_earlier.TryGetValue(sink, out var done) && done.State != SinkState.Retrying)
            {
                if (done.State == SinkState.Rejected)
                    final ??= StudyPipelineException.Final(done.Reason ?? PipelineReasons.Unexpected, $"sink {sink} rejected the draft on an earlier attempt");
                continue;
            }
            try
            {
                await RecordedAsync(sink, async () => { await deliver(); return true; }, cancellationToken);
                await _store.RecordSinkAsync(_jobId, sink, SinkState.Delivered, null, null, CancellationToken.None);
                _metrics.RecordSinkOutcome(sink, SinkState.Delivered, null);
            }
            catch (StudyPipelineException e) when (e.Outcome.Transient)
            {
                transient ??= e;
            }
            catch (StudyPipelineException e)
            {
                final ??= e;
            }
        }
        if ((transient ?? final) is { } failure) throw failure;
    }

    /// <summary>Runs one delivery; a coded failure is recorded before it goes on, an unexpected one as retrying "unexpected".</summary>
    private async Task<T> RecordedAsync<T>(string sink, Func<Task<T>> deliver, CancellationToken cancellationToken)
    {
        try
        {
            return await deliver();
        }
        catch (StudyPipelineException e)
        {
            var state = e.Outcome.Transient ? SinkState.Retrying : SinkState.Rejected;
            await _store.RecordSinkAsync(_jobId, sink, state, e.Outcome.Code, null, CancellationToken.None);
            _metrics.RecordSinkOutcome(sink, state, e.Outcome.Code);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await _store.RecordSinkAsync(_jobId, sink, SinkState.Retrying, PipelineReasons.Unexpected, null, CancellationToken.None);
            _metrics.RecordSinkOutcome(sink, SinkState.Retrying, PipelineReasons.Unexpected);
            throw;
        }
    }
}
