using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// One attempt's view of which sinks already have the job's draft: a retried job delivers only to the others, and
/// each delivery's outcome (delivered, retrying with its code, rejected with its code) is recorded in the job store.
/// A crash between a delivery and its record re-sends it on the next attempt, which every sink takes idempotently.
/// </summary>
public sealed class SinkLedger
{
    private readonly IJobStore _store;
    private readonly long _jobId;
    private readonly IReadOnlyDictionary<string, SinkDelivery> _earlier;

    private SinkLedger(IJobStore store, long jobId, IReadOnlyDictionary<string, SinkDelivery> earlier) =>
        (_store, _jobId, _earlier) = (store, jobId, earlier);

    public static async Task<SinkLedger> LoadAsync(IJobStore store, long jobId, CancellationToken cancellationToken) =>
        new(store, jobId, (await store.SinkDeliveriesAsync(jobId, cancellationToken)).ToDictionary(d => d.Sink));

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
            await _store.RecordSinkAsync(_jobId, sink, e.Outcome.Transient ? SinkState.Retrying : SinkState.Rejected, e.Outcome.Code,
                null, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await _store.RecordSinkAsync(_jobId, sink, SinkState.Retrying, PipelineReasons.Unexpected, null, CancellationToken.None);
            throw;
        }
    }
}
