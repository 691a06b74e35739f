using System.Diagnostics.Metrics;

namespace LlavaRad.Model.Generation;

/// <summary>
/// The batcher's instruments on the "LlavaRad.Inference" meter (exported by the node as Prometheus metrics).
/// Labels are priorities, stages and reasons only: nothing that identifies a patient or a study.
/// </summary>
public sealed class BatcherMetrics : IDisposable
{
    public const string MeterName = "LlavaRad.Inference";
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _timeToFirstToken, _timePerOutputToken, _queueTime;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _promptTokens, _generatedTokens, _rejected, _cancelled, _finished;

    public BatcherMetrics(Func<IEnumerable<(string Priority, int Waiting)>> queueDepth, Func<double> cacheUsage, Func<int> running)
    {
        _meter.CreateObservableGauge("llavarad.queue.depth", () => queueDepth().Select(q => new Measurement<int>(q.Waiting, new KeyValuePair<string, object?>("priority", q.Priority))),
            unit: "{request}", description: "Requests waiting for a batch slot, by priority");
        _meter.CreateObservableGauge("llavarad.kv_cache.usage", cacheUsage, unit: "1", description: "Filled share of the KV pool's positions");
        _meter.CreateObservableGauge("llavarad.running", running, unit: "{request}", description: "Requests prefilling or decoding");
        _timeToFirstToken = _meter.CreateHistogram<double>("llavarad.time_to_first_token", "s", "From submission to the first generated token");
        _timePerOutputToken = _meter.CreateHistogram<double>("llavarad.time_per_output_token", "s", "Decode time per token after the first");
        _queueTime = _meter.CreateHistogram<double>("llavarad.queue.time", "s", "Time waiting for a batch slot");
        _batchSize = _meter.CreateHistogram<int>("llavarad.batch.size", "{sequence}", "Sequences in one decode step");
        _promptTokens = _meter.CreateCounter<long>("llavarad.tokens.prompt", "{token}", "Prompt positions prefilled (image rows included)");
        _generatedTokens = _meter.CreateCounter<long>("llavarad.tokens.generated", "{token}", "Tokens generated");
        _rejected = _meter.CreateCounter<long>("llavarad.requests.rejected", "{request}", "Requests refused at once, by reason");
        _cancelled = _meter.CreateCounter<long>("llavarad.requests.cancelled", "{request}", "Requests cancelled or past their deadline, by stage");
        _finished = _meter.CreateCounter<long>("llavarad.requests.finished", "{request}", "Requests completed, by finish reason");
    }

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void Cancelled(string stage) => _cancelled.Add(1, new KeyValuePair<string, object?>("stage", stage));
    public void Admitted(TimeSpan queued) => _queueTime.Record(queued.TotalSeconds);
    public void Prefilled(long positions) => _promptTokens.Add(positions);
    public void FirstToken(TimeSpan sinceSubmit) => _timeToFirstToken.Record(sinceSubmit.TotalSeconds);
    public void DecodeStep(int batch) => _batchSize.Record(batch);

    public void Finished(GenerationResult result)
    {
        _finished.Add(1, new KeyValuePair<string, object?>("reason", result.FinishReason.ToString().ToLowerInvariant()));
        _generatedTokens.Add(result.TokenIds.Count);
        if (result.TokenIds.Count > 1) _timePerOutputToken.Record(result.Timings.Decode.TotalSeconds / (result.TokenIds.Count - 1));
    }

    public void Dispose() => _meter.Dispose();
}
