using System.Diagnostics;
using System.Diagnostics.Metrics;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.Worker.Tests.Telemetry;

public class StageScopeTests
{
    [Fact]
    public async Task AStageIsTimedIntoTheHistogramAndTracedAsAChildSpan()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new WorkerMetrics(factory);
        var recorded = new List<(double Seconds, string? Stage)>();
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "llavarad.worker.stage.duration") listener.EnableMeasurementEvents(instrument);
        };
        meterListener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            recorded.Add((value, tags.ToArray().Single(t => t.Key == "stage").Value as string)));
        meterListener.Start();
        var spans = new System.Collections.Concurrent.ConcurrentBag<Activity>(); // other tests may trace at the same time
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(activityListener);

        ActivitySpanId jobSpan;
        ActivityTraceId trace;
        using (var job = WorkerActivity.Source.StartActivity("job"))
        {
            (jobSpan, trace) = (job!.SpanId, job.TraceId);
            using (metrics.Stage("fetch"))
                await Task.Delay(50);
        }

        var (seconds, stage) = Assert.Single(recorded);
        Assert.Equal("fetch", stage);
        Assert.InRange(seconds, 0.045, 30);
        var fetch = spans.Single(s => s.OperationName == "fetch" && s.TraceId == trace);
        Assert.Equal(jobSpan, fetch.ParentSpanId);
    }
}
