using System.Diagnostics.Metrics;
using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Telemetry;

/// <summary>
/// The worker's instruments (Meter "LlavaRad.Worker", exported at /metrics). Tags are closed vocabularies
/// (priority, state, stage, outcome, reason code, source name). The queue depth gauge is
/// <see cref="QueueDepthSampler"/>'s, on the same meter: never a study UID, patient or free text.
/// </summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "LlavaRad.Worker";

    private readonly Histogram<double> _timeToDraft;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _sourceEvents;
    private readonly Counter<long> _sourceFailures;
    private readonly Counter<long> _sinkOutcomes;
    private readonly Counter<long> _tlsRefused;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _timeToDraft = meter.CreateHistogram<double>("llavarad.worker.time_to_draft", "s",
            "From the job's enqueue to its draft written, by priority");
        _outcomes = meter.CreateCounter<long>("llavarad.worker.outcomes", "{job}",
            "Finished attempts by outcome (succeeded, rejected, retrying, dead-lettered) and coded reason");
        _stageDuration = meter.CreateHistogram<double>("llavarad.worker.stage.duration", "s",
            "Time spent in one pipeline stage (resolve, select, fetch, convert, infer, label, write)");
        _sourceEvents = meter.CreateCounter<long>("llavarad.worker.source.events", "{event}",
            "Study events by source and what became of them (observed, submitted, skipped)");
        _sourceFailures = meter.CreateCounter<long>("llavarad.worker.source.failures", "{failure}",
            "Failed source polls by source and coded reason");
        _sinkOutcomes = meter.CreateCounter<long>("llavarad.worker.sink.outcomes", "{delivery}",
            "Deliveries per sink (fhir, local, shadow, local-exports, sr-stow, hl7-mllp, review) by outcome (delivered, retrying, rejected) and coded reason");
        _tlsRefused = meter.CreateCounter<long>("llavarad.worker.tls.refused", "{connection}",
            "TLS clients refused by a worker listener (notifications, operations) and coded reason; nothing about the client");
    }

    public void RecordTimeToDraft(TimeSpan elapsed, JobPriority priority) =>
        _timeToDraft.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("priority", PriorityTag(priority)));

    /// <param name="reason">A coded reason such as "no-frontal-view" or "dicomweb-timeout"; null for success.</param>
    public void RecordOutcome(JobState outcome, string? reason = null) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToText()),
            new KeyValuePair<string, object?>("reason", reason ?? "none"));

    /// <summary>Times a stage and traces it as a span: <c>using (metrics.Stage("fetch")) { ... }</c>.</summary>
    public StageScope Stage(string stage) => new(this, stage);

    public void RecordStage(string stage, TimeSpan elapsed) =>
        _stageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    public void RecordSourceEvent(string source, string disposition) =>
        _sourceEvents.Add(1, new KeyValuePair<string, object?>("source", source),
            new KeyValuePair<string, object?>("disposition", disposition));

    public void RecordSourceFailure(string source, string reason) =>
        _sourceFailures.Add(1, new KeyValuePair<string, object?>("source", source),
            new KeyValuePair<string, object?>("reason", reason));

    /// <param name="reason">The coded reason of a failure; null for a delivery.</param>
    public void RecordSinkOutcome(string sink, SinkState outcome, string? reason) =>
        _sinkOutcomes.Add(1, new KeyValuePair<string, object?>("sink", sink),
            new KeyValuePair<string, object?>("outcome", outcome.ToText()), new KeyValuePair<string, object?>("reason", reason ?? "none"));

    public void RecordTlsRefusal(string listener, string reason) =>
        _tlsRefused.Add(1, new KeyValuePair<string, object?>("listener", listener), new KeyValuePair<string, object?>("reason", reason));

    public static string PriorityTag(JobPriority priority) => priority.ToString().ToLowerInvariant();
}
